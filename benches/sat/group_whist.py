#!/usr/bin/env python3
"""Searches behind the negative results of the twenty-fifth session in BENCHMARKS.md: a
generalisation of rotating_whist.py (which stays the source of the stored entries) to any
abelian group G = Z_m1 x Z_m2 x ... and r orbits of courts. Run by hand, not in CI.

    pip install python-sat
    python3 benches/sat/group_whist.py MODS R A [--mat M] [--fix F] [--k0 g;g;...] [--nocourt]

Players (i, t) for i < 4r and t in G, courts (c, q) for c < r and q in G, so N = 4r|G| on
r|G| courts; the design is asked to be invariant under every translation t -> t + h
(court (c, q) -> (c, q + h)), so a player's court counts are a translate of its orbit's
first player's, and only those 4r players' counts are constrained (within one). A base
rounds are each developed over G; the other N - 1 - A|G| rounds are fixed by G: r games
with one player from each of 4 orbits, game c turned round the courts (c, .).
`--mat` adds an automorphism of G (one number: multiply; k*k numbers: a matrix), which
must map each base round to itself up to the translation `--k0` (one group element per
base round, "a,b;c,d" for Z_3 x Z_3), the first `--fix` fixed rounds to themselves and
the others in runs of its order. MODS "9", R 1 is rotating_whist.py's model.

    python3 benches/sat/group_whist.py 3,3 1 3 --mat 1,1,0,1 --fix 2 --k0 "0,0;0,0;0,1"
"""

import itertools
import os
import sys
import time

from pysat.formula import CNF, IDPool
from pysat.solvers import Solver

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rotating_whist import SYMBOLS, cardinality, check, flag  # noqa: E402

MODS = [int(v) for v in sys.argv[1].split(",")]
R = int(sys.argv[2])
A = int(sys.argv[3])
MAT = [int(v) for v in flag("--mat", "").split(",") if v]
FIX = int(flag("--fix", "1"))
K0 = [tuple(int(u) for u in g.split(",")) for g in flag("--k0", "").split(";") if g]
els = list(itertools.product(*[range(n) for n in MODS]))
G = len(els)
ZERO = tuple(0 for _ in MODS)
add = lambda a, b: tuple((x + y) % n for x, y, n in zip(a, b, MODS))
neg = lambda a: tuple((-x) % n for x, n in zip(a, MODS))
sub = lambda a, b: add(a, neg(b))
k = len(MODS)


def mu(a, e=1):
    for _ in range(e):
        if len(MAT) == 1:
            a = tuple((MAT[0] * x) % n for x, n in zip(a, MODS))
        else:
            a = tuple(sum(MAT[r_ * k + s] * a[s] for s in range(k)) % MODS[r_] for r_ in range(k))
    return a


def order():
    o = 1
    while any(mu(g, o) != g for g in els):
        o += 1
    return o


idx = {g: n for n, g in enumerate(els)}
C = R * G
N = 4 * C
courts = [(c, q) for c in range(R) for q in els]
cidx = {cq: n for n, cq in enumerate(courts)}


def build(with_courts=True):
    rr = N - 1
    b = rr - A * G
    assert b >= 0
    pool, cnf = IDPool(), CNF()

    card = cardinality(cnf, pool)

    pts = [(i, t) for i in range(4 * R) for t in els]
    x = lambda rd, p, cq, u: pool.id(("x", rd, p, cq, u))
    for rd in range(A):
        for p in pts:
            card([x(rd, p, cq, u) for cq in courts for u in range(2)], 1, 1)
        for cq in courts:
            for u in range(2):
                card([x(rd, p, cq, u) for p in pts], 2, 2)
        if MAT:
            k0 = K0[rd] if rd < len(K0) else ZERO
            for i, t in pts:
                for c, q in courts:
                    for u in range(2):
                        cnf.append(
                            [
                                -x(rd, (i, t), (c, q), u),
                                x(rd, (i, sub(mu(t), k0)), (c, sub(mu(q), k0)), u),
                            ]
                        )
        else:
            for cq in courts:
                for kk, p in enumerate(pts):
                    cnf.append([-x(rd, p, cq, 1)] + [x(rd, pp, cq, 0) for pp in pts[:kk]])

    def orbit(p1, p2):
        (i, t), (j, u) = sorted((p1, p2))
        d = sub(u, t)
        return (i, j, min(d, neg(d)) if i == j else d)

    orbits = sorted({orbit(p1, p2) for p1, p2 in itertools.combinations(pts, 2)})
    partners = {o: [] for o in orbits}
    opponents = {o: [] for o in orbits}
    for rd in range(A):
        for p1, p2 in itertools.combinations(pts, 2):
            o = orbit(p1, p2)
            for cq in courts:
                for u in range(2):
                    z = pool.id(("pz", rd, p1, p2, cq, u))
                    partners[o].append(z)
                    cnf.extend(
                        [
                            [-z, x(rd, p1, cq, u)],
                            [-z, x(rd, p2, cq, u)],
                            [z, -x(rd, p1, cq, u), -x(rd, p2, cq, u)],
                        ]
                    )
                for u1, u2 in ((0, 1), (1, 0)):
                    z = pool.id(("oz", rd, p1, p2, cq, u1))
                    opponents[o].append(z)
                    cnf.extend(
                        [
                            [-z, x(rd, p1, cq, u1)],
                            [-z, x(rd, p2, cq, u2)],
                            [z, -x(rd, p1, cq, u1), -x(rd, p2, cq, u2)],
                        ]
                    )
    # fixed rounds: orbit i at court orbit c, side u (w); shift s (game G_c + h on court (c, h))
    w = lambda j, i, c, u: pool.id(("w", j, i, c, u))
    sv = lambda j, i, t: pool.id(("s", j, i, t))
    for j in range(b):
        for i in range(4 * R):
            card([w(j, i, c, u) for c in range(R) for u in range(2)], 1, 1)
            card([sv(j, i, t) for t in els], 1, 1)
        for c in range(R):
            for u in range(2):
                card([w(j, i, c, u) for i in range(4 * R)], 2, 2)
        for i1, i2 in itertools.combinations(range(4 * R), 2):
            P = pool.id(("P", j, i1, i2))
            O = pool.id(("O", j, i1, i2))
            pl, ol = [], []
            for c in range(R):
                for u in range(2):
                    zp = pool.id(("Pc", j, i1, i2, c, u))
                    pl.append(zp)
                    cnf.extend(
                        [
                            [-zp, w(j, i1, c, u)],
                            [-zp, w(j, i2, c, u)],
                            [zp, -w(j, i1, c, u), -w(j, i2, c, u)],
                        ]
                    )
                    zo = pool.id(("Oc", j, i1, i2, c, u))
                    ol.append(zo)
                    cnf.extend(
                        [
                            [-zo, w(j, i1, c, u)],
                            [-zo, w(j, i2, c, 1 - u)],
                            [zo, -w(j, i1, c, u), -w(j, i2, c, 1 - u)],
                        ]
                    )
            cnf.append([-P] + pl)
            cnf.extend([[P, -z] for z in pl])
            cnf.append([-O] + ol)
            cnf.extend([[O, -z] for z in ol])
            for t1 in els:
                for t2 in els:
                    o = orbit((i1, t1), (i2, t2))
                    zp, zo = pool.id(("fp", j, i1, i2, t1, t2)), pool.id(("fo", j, i1, i2, t1, t2))
                    both = [sv(j, i1, t1), sv(j, i2, t2)]
                    cnf.extend([[-zp, both[0]], [-zp, both[1]], [-zp, P], [zp, -both[0], -both[1], -P]])
                    cnf.extend([[-zo, both[0]], [-zo, both[1]], [-zo, O], [zo, -both[0], -both[1], -O]])
                    partners[o].append(zp)
                    opponents[o].append(zo)
    for o in orbits:
        card(partners[o], 1, 1)
        card(opponents[o], 2, 2)
    if b > 0 and (not MAT or FIX >= 1):
        for i in range(4 * R):
            cnf.append([sv(0, i, ZERO)])
            cnf.append([w(0, i, i // 4, (i % 4) // 2)])
    if MAT:
        od = order()
        for j in range(1, FIX):
            for i in range(4 * R):
                for t in els:
                    cnf.append([-sv(j, i, t), sv(j, i, mu(t))])
        free = (b - FIX) // od
        assert free * od == b - FIX, "fixed rounds do not split into orbits"
        for j in range(FIX, FIX + free):
            for e in range(1, od):
                jj = j + e * free
                for i in range(4 * R):
                    for t in els:
                        cnf.append([-sv(j, i, t), sv(jj, i, mu(t, e))])
                    for c in range(R):
                        for u in range(2):
                            cnf.append([-w(j, i, c, u), w(jj, i, c, u)])
    if with_courts:
        for i in range(4 * R):
            for c, cc in courts:
                lits = [x(rd, (i, t), (c, add(cc, t)), u) for rd in range(A) for t in els for u in range(2)]
                for j in range(b):
                    z = pool.id(("fc", j, i, c, cc))
                    lits.append(z)
                    inc = pool.id(("in", j, i, c))
                    cnf.extend(
                        [
                            [-inc, w(j, i, c, 0), w(j, i, c, 1)],
                            [inc, -w(j, i, c, 0)],
                            [inc, -w(j, i, c, 1)],
                        ]
                    )
                    sneg = sv(j, i, neg(cc))
                    cnf.extend([[-z, inc], [-z, sneg], [z, -inc, -sneg]])
                card(lits, rr // C, rr // C + 1)

    def decode(model):
        num = lambda i, t: i * G + idx[t]
        rounds = []
        for rd in range(A):
            games = {cq: [p for u in range(2) for p in pts if x(rd, p, cq, u) in model] for cq in courts}
            for h in els:
                out = [None] * C
                for (c, q), g in games.items():
                    out[cidx[(c, add(q, h))]] = [num(i, add(t, h)) for i, t in g]
                rounds.append(out)
        for j in range(b):
            s = {i: next(t for t in els if sv(j, i, t) in model) for i in range(4 * R)}
            out = [None] * C
            for c in range(R):
                side = [[i for i in range(4 * R) if w(j, i, c, u) in model] for u in range(2)]
                for h in els:
                    out[cidx[(c, h)]] = [num(i, add(s[i], h)) for i in side[0] + side[1]]
            rounds.append(out)
        return rounds

    return cnf, decode


cnf, decode = build("--nocourt" not in sys.argv)
start = time.time()
with Solver(name="cadical195", bootstrap_with=cnf.clauses) as s:
    if not s.solve():
        print(f"UNSAT {MODS} R={R} A={A} ({time.time() - start:.1f} s)")
        sys.exit()
    model = {l for l in s.get_model() if l > 0}
rounds = decode(model)
assert len(rounds) == N - 1
sp = check(N, C, rounds)
print(f'({N}, {C}, 2, 2, 0, {sp}, "' + "".join(SYMBOLS[p] for rd in rounds for g in rd for p in g) + '"),')
print(f"solved in {time.time() - start:.1f} s", file=sys.stderr)
