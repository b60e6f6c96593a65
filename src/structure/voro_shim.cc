// The only C++ in amorph: voro++ behind a C interface (see voro_shim.h).
#include "structure/voro_shim.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>

#include <voro++/voro++.hh>

namespace {

// A malloc'd array that grows by doubling, handed to C as it is (no copy at
// the end): one per output array of a piece, instead of a vector per cell.
template <class T> struct grow {
    T *p = nullptr;
    size_t n = 0, cap = 0;
    grow() = default;
    grow(const grow &) = delete;
    grow &operator=(const grow &) = delete;
    ~grow() { std::free(p); }
    T *room(size_t k)
    {
        if (n + k > cap) {
            size_t c = cap ? 2 * cap : 4096;
            while (c < n + k) c *= 2;
            T *q = (T *)std::realloc(p, c * sizeof(T));
            if (!q) throw std::bad_alloc();
            p = q;
            cap = c;
        }
        return p + n;
    }
    void push(T v) { *room(1) = v; n++; }
    T *release() { T *q = p; p = nullptr; n = cap = 0; return q; }
};

struct piece {
    grow<int> id, neighbor, order, tri;
    grow<double> volume, area;
    grow<size_t> first, tfirst;
};

// The faces of a computed cell in voro++'s own order (that of its
// neighbors(), face_orders() and face_areas(): each face from its first
// unvisited edge, vertices from 1 on), with those three in one walk instead
// of three. pts holds twice the vertex positions, hence the 1/8 on the sum
// of the fan's cross products. Marks the edges it walks: the cell's edge
// table is unusable afterwards, until the next compute_cell.
void faces(voro::voronoicell_neighbor &c, piece &out)
{
    for (int i = 1; i < c.p; i++)
        for (int j = 0; j < c.nu[i]; j++) {
            if (c.ed[i][j] < 0) continue;
            const double *p0 = c.pts + 3 * i;
            double area = 0.0;
            int edges = 0, a = i, b = j, prev = -1;
            out.neighbor.push(c.ne[i][j]);
            do {
                const int k = c.ed[a][b], back = c.ed[a][c.nu[a] + b];
                c.ed[a][b] = -1 - k;
                if (prev >= 0 && k != i) {
                    const double *u = c.pts + 3 * prev, *w = c.pts + 3 * k;
                    const double ux = u[0] - p0[0], uy = u[1] - p0[1], uz = u[2] - p0[2];
                    const double wx = w[0] - p0[0], wy = w[1] - p0[1], wz = w[2] - p0[2];
                    const double cx = uy * wz - uz * wy, cy = uz * wx - ux * wz, cz = ux * wy - uy * wx;
                    area += std::sqrt(cx * cx + cy * cy + cz * cz);
                }
                prev = k;
                edges++;
                a = k;
                b = back == c.nu[k] - 1 ? 0 : back + 1;
            } while (a != i);
            out.order.push(edges);
            out.area.push(0.125 * area);
        }
}

// The cells of piece `part` of `parts`: the particles at positions
// [n part/parts, n (part+1)/parts) of the container's loop, so each piece is
// a compact region of blocks. Every piece builds the same container, so a
// cell does not depend on which piece computes it. A cell voro++ cannot
// build is an error in the plain tessellation; in the radical one a point
// whose sphere is far inside its neighbours' can own no space at all, and
// that is a valid empty cell.
template <class C, class L> int collect(C &con, size_t n, int part, int parts, bool empty_ok, amv_cells *out)
{
    const size_t lo = n * (size_t)part / (size_t)parts, hi = n * (size_t)(part + 1) / (size_t)parts;
    piece pc;
    L loop(con);
    voro::voronoicell_neighbor cell;
    size_t seen = 0;
    if (loop.start()) do {
            const size_t at = seen++;
            if (at < lo || at >= hi) continue;
            pc.id.push(loop.pid());
            pc.first.push(pc.neighbor.n);
            pc.tfirst.push(pc.tri.n / 3);
            if (!con.compute_cell(cell, loop)) {
                if (!empty_ok) return 2;
                pc.volume.push(0.0);
                continue;
            }
            pc.volume.push(cell.volume());
            // ne[v][j] is the neighbour across the face clockwise from
            // vertex v's edge j, so ne[v][0..nu[v]-1] are the faces around
            // v in cyclic order: a vertex of order 3 is one tetrahedron of
            // the dual; a higher one (cospherical points) is fanned
            for (int v = 0; v < cell.p; v++)
                for (int j = 1; j + 1 < cell.nu[v]; j++) {
                    int *t = pc.tri.room(3);
                    t[0] = cell.ne[v][0];
                    t[1] = cell.ne[v][j];
                    t[2] = cell.ne[v][j + 1];
                    pc.tri.n += 3;
                }
            faces(cell, pc);
        } while (loop.inc());
    if (seen != n) return 2;
    pc.first.push(pc.neighbor.n);
    pc.tfirst.push(pc.tri.n / 3);
    // no array stays NULL, even for a piece without faces
    pc.id.room(1); pc.volume.room(1); pc.neighbor.room(1); pc.order.room(1); pc.area.room(1); pc.tri.room(1);
    out->m = pc.id.n;
    out->id = pc.id.release();
    out->volume = pc.volume.release();
    out->first = pc.first.release();
    out->tfirst = pc.tfirst.release();
    out->neighbor = pc.neighbor.release();
    out->order = pc.order.release();
    out->area = pc.area.release();
    out->tri = pc.tri.release();
    return 0;
}

} // namespace

extern "C" int amv_tessellate(size_t n, const double *x, const double *y, const double *z, const double *r, double bx,
                              double bxy, double by, double bxz, double byz, double bz, int part, int parts,
                              amv_cells *out)
{
    std::memset(out, 0, sizeof *out);
    try {
        const double vol = bx * by * bz, atoms = n > 0 ? (double)n : 1.0;
        if (bxy == 0.0 && bxz == 0.0 && byz == 0.0) {
            // An orthogonal box takes voro++'s rectangular container, as its
            // command-line tool does: no periodic unit cell to copy into
            // every new cell. Blocks of about 2 points: measured fastest
            // (20 000-atom glass: 1.5–2.5 points per block within 5 %,
            // voro++'s 5.6 about 25 % slower).
            const double per = std::cbrt(2.0 * vol / atoms);
            auto blocks = [per](double l) { int k = (int)(l / per); return k < 1 ? 1 : k; };
            if (!r) {
                voro::container con(0.0, bx, 0.0, by, 0.0, bz, blocks(bx), blocks(by), blocks(bz), true, true, true,
                                    8);
                for (size_t i = 0; i < n; i++) con.put((int)i, x[i], y[i], z[i]);
                return collect<voro::container, voro::c_loop_all>(con, n, part, parts, false, out);
            }
            voro::container_poly con(0.0, bx, 0.0, by, 0.0, bz, blocks(bx), blocks(by), blocks(bz), true, true, true,
                                     8);
            for (size_t i = 0; i < n; i++) con.put((int)i, x[i], y[i], z[i], r[i]);
            return collect<voro::container_poly, voro::c_loop_all>(con, n, part, parts, true, out);
        }
        // triclinic: the periodic container, about 5 points per block (as
        // voro++'s documentation suggests; fewer made it lose cells)
        const double per = std::cbrt(5.0 * vol / atoms);
        auto blocks = [per](double l) { int k = (int)(l / per); return k < 1 ? 1 : k; };
        if (!r) {
            voro::container_periodic con(bx, bxy, by, bxz, byz, bz, blocks(bx), blocks(by), blocks(bz), 8);
            for (size_t i = 0; i < n; i++) con.put((int)i, x[i], y[i], z[i]);
            return collect<voro::container_periodic, voro::c_loop_all_periodic>(con, n, part, parts, false, out);
        }
        voro::container_periodic_poly con(bx, bxy, by, bxz, byz, bz, blocks(bx), blocks(by), blocks(bz), 8);
        for (size_t i = 0; i < n; i++) con.put((int)i, x[i], y[i], z[i], r[i]);
        return collect<voro::container_periodic_poly, voro::c_loop_all_periodic>(con, n, part, parts, true, out);
    } catch (const std::bad_alloc &) {
        return 1;
    } catch (...) {
        return 2;
    }
}
