// The only C++ in amorph: voro++ behind a C interface (see voro_shim.h).
#include "structure/voro_shim.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

#include <voro++/voro++.hh>

extern "C" int amv_tessellate(size_t n, const double *x, const double *y, const double *z, double bx, double bxy,
                              double by, double bxz, double byz, double bz, size_t begin, size_t end,
                              double **volume, size_t **first, int **neighbor, int **order, double **area)
{
    *volume = nullptr;
    *first = nullptr;
    *neighbor = nullptr;
    *order = nullptr;
    *area = nullptr;
    try {
        // about 5 points per block, as voro++'s documentation suggests
        const double per = std::cbrt(5.0 * bx * by * bz / (n > 0 ? (double)n : 1.0));
        auto blocks = [per](double l) { int k = (int)(l / per); return k < 1 ? 1 : k; };
        voro::container_periodic con(bx, bxy, by, bxz, byz, bz, blocks(bx), blocks(by), blocks(bz), 8);
        for (size_t i = 0; i < n; i++) con.put((int)i, x[i], y[i], z[i]);
        const size_t m = end - begin;
        std::vector<std::vector<int>> nb(m), ord(m);
        std::vector<std::vector<double>> ar(m);
        std::vector<double> vol(m, -1.0);
        voro::c_loop_all_periodic loop(con);
        voro::voronoicell_neighbor cell;
        if (loop.start()) do {
                const size_t pid = (size_t)loop.pid();
                if (pid < begin || pid >= end) continue;
                if (!con.compute_cell(cell, loop)) continue;
                const size_t id = pid - begin;
                vol[id] = cell.volume();
                cell.neighbors(nb[id]);
                cell.face_orders(ord[id]);
                cell.face_areas(ar[id]);
            } while (loop.inc());
        size_t total = 0;
        for (size_t i = 0; i < m; i++) {
            if (vol[i] < 0) return 2;
            total += nb[i].size();
        }
        double *v = (double *)std::malloc((m + 1) * sizeof(double));
        size_t *f = (size_t *)std::malloc((m + 1) * sizeof(size_t));
        int *ne = (int *)std::malloc((total + 1) * sizeof(int));
        int *o = (int *)std::malloc((total + 1) * sizeof(int));
        double *a = (double *)std::malloc((total + 1) * sizeof(double));
        if (!v || !f || !ne || !o || !a) {
            std::free(v); std::free(f); std::free(ne); std::free(o); std::free(a);
            return 1;
        }
        size_t k = 0;
        for (size_t i = 0; i < m; i++) {
            v[i] = vol[i];
            f[i] = k;
            for (size_t j = 0; j < nb[i].size(); j++, k++) {
                ne[k] = nb[i][j];
                o[k] = ord[i][j];
                a[k] = ar[i][j];
            }
        }
        f[m] = k;
        *volume = v;
        *first = f;
        *neighbor = ne;
        *order = o;
        *area = a;
        return 0;
    } catch (const std::bad_alloc &) {
        return 1;
    } catch (...) {
        return 2;
    }
}
