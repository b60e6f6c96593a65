import sys, numpy as np
def read(path):
    with open(path) as f:
        n = int(f.readline()); hdr = f.readline()
        props = hdr.split('Properties=')[1].split()[0].split(':')
        cols = {}; k = 0
        for i in range(0, len(props), 3):
            name, typ, cnt = props[i], props[i+1], int(props[i+2]); cols[name] = (k, cnt, typ); k += cnt
        rows = [f.readline().split() for _ in range(n)]
    def col(name, c=0):
        j = cols[name][0] + c
        return np.array([float(r[j]) for r in rows])
    sp = np.array([r[cols['species'][0]] for r in rows])
    return col, sp
a, sp = read(sys.argv[1]); b, _ = read(sys.argv[2])
for T in (100, 200, 300, 400):
    try:
        x, y = a('vmsd_%dK' % T), b('vmsd_%dK' % T)
        hx, hy = a('hopped_%dK' % T) > 0, b('hopped_%dK' % T) > 0
    except (KeyError, IndexError):
        continue
    keep = ~hx & ~hy
    print("%d K: mean %s %.4f, %s %.4f A^2; non-hopped atoms %d: means %.4f, %.4f; r = %.3f" % (
        T, sys.argv[1].split('_')[-1].split('.')[0], x.mean(), sys.argv[2].split('_')[-1].split('.')[0], y.mean(),
        keep.sum(), x[keep].mean(), y[keep].mean(), np.corrcoef(x[keep], y[keep])[0, 1]))
