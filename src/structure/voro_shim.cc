// The only C++ in amorph: voro++ behind a C interface (see voro_shim.h).
#include "structure/voro_shim.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

#include <voro++/voro++.hh>

namespace {

// Cells of the points begin .. end-1 from a filled container: the same loop
// for the plain and the radical tessellation, which differ only in the
// container type. A cell voro++ cannot build is an error in the plain
// tessellation; in the radical one a point whose sphere is far inside its
// neighbours' can own no space at all, and that is a valid empty cell.
template <class C>
int collect(C &con, size_t begin, size_t end, bool empty_ok, amv_cells *out)
{
    const size_t m = end - begin;
    std::vector<std::vector<int>> nb(m), ord(m), tri(m);
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
            // ne[v][j] is the neighbour across the face clockwise from
            // vertex v's edge j, so ne[v][0..nu[v]-1] are the faces around
            // v in cyclic order: a vertex of order 3 is one tetrahedron of
            // the dual; a higher one (cospherical points) is fanned
            for (int v = 0; v < cell.p; v++)
                for (int j = 1; j + 1 < cell.nu[v]; j++) {
                    tri[id].push_back(cell.ne[v][0]);
                    tri[id].push_back(cell.ne[v][j]);
                    tri[id].push_back(cell.ne[v][j + 1]);
                }
        } while (loop.inc());
    size_t total = 0, ttotal = 0;
    for (size_t i = 0; i < m; i++) {
        if (vol[i] < 0) {
            if (!empty_ok) return 2;
            vol[i] = 0.0;
        }
        total += nb[i].size();
        ttotal += tri[i].size();
    }
    amv_cells c;
    c.volume = (double *)std::malloc((m + 1) * sizeof(double));
    c.first = (size_t *)std::malloc((m + 1) * sizeof(size_t));
    c.tfirst = (size_t *)std::malloc((m + 1) * sizeof(size_t));
    c.neighbor = (int *)std::malloc((total + 1) * sizeof(int));
    c.order = (int *)std::malloc((total + 1) * sizeof(int));
    c.area = (double *)std::malloc((total + 1) * sizeof(double));
    c.tri = (int *)std::malloc((ttotal + 1) * sizeof(int));
    if (!c.volume || !c.first || !c.tfirst || !c.neighbor || !c.order || !c.area || !c.tri) {
        std::free(c.volume); std::free(c.first); std::free(c.tfirst); std::free(c.neighbor);
        std::free(c.order); std::free(c.area); std::free(c.tri);
        return 1;
    }
    size_t k = 0, t = 0;
    for (size_t i = 0; i < m; i++) {
        c.volume[i] = vol[i];
        c.first[i] = k;
        for (size_t j = 0; j < nb[i].size(); j++, k++) {
            c.neighbor[k] = nb[i][j];
            c.order[k] = ord[i][j];
            c.area[k] = ar[i][j];
        }
        c.tfirst[i] = t / 3;
        for (size_t j = 0; j < tri[i].size(); j++, t++) c.tri[t] = tri[i][j];
    }
    c.first[m] = k;
    c.tfirst[m] = t / 3;
    *out = c;
    return 0;
}

} // namespace

extern "C" int amv_tessellate(size_t n, const double *x, const double *y, const double *z, const double *r, double bx,
                              double bxy, double by, double bxz, double byz, double bz, size_t begin, size_t end,
                              amv_cells *out)
{
    std::memset(out, 0, sizeof *out);
    try {
        // about 5 points per block, as voro++'s documentation suggests
        const double per = std::cbrt(5.0 * bx * by * bz / (n > 0 ? (double)n : 1.0));
        auto blocks = [per](double l) { int k = (int)(l / per); return k < 1 ? 1 : k; };
        if (!r) {
            voro::container_periodic con(bx, bxy, by, bxz, byz, bz, blocks(bx), blocks(by), blocks(bz), 8);
            for (size_t i = 0; i < n; i++) con.put((int)i, x[i], y[i], z[i]);
            return collect(con, begin, end, false, out);
        }
        voro::container_periodic_poly con(bx, bxy, by, bxz, byz, bz, blocks(bx), blocks(by), blocks(bz), 8);
        for (size_t i = 0; i < n; i++) con.put((int)i, x[i], y[i], z[i], r[i]);
        return collect(con, begin, end, true, out);
    } catch (const std::bad_alloc &) {
        return 1;
    } catch (...) {
        return 2;
    }
}
