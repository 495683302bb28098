#!/usr/bin/env python3
"""A cyclic whist design whose courts turn by a round's own shift. Run by hand, not in CI.

    pip install python-sat
    timeout 700 python3 benches/sat/shifted_cyclic.py C

Looks for a cyclic whist design Wh(4C) on Z_m u {inf} (m = 4C - 1; round i is the base
round plus i) together with a shift s: Z_m -> Z_C such that, with game k of round i on
court k + s(i), every player's court counts are within one. The base and the shift are
found together. Finite player p meets base point p - i in round i, so its count on court
c is #{i : g(p - i) + s(i) = c} (g(x) the base game of x): a convolution of g and s that
has to be flat for every p; inf stays in base game 0, so s itself must be flat.

This is the family the twenty-fourth session tried on the stored bases only ("turned
courts on a cyclic design"); here the base is free. Prints the entry line for
stored_data.rs (after an independent check) or UNSAT. Found nothing: C = 3 is
unsatisfiable (2.3 s; no cyclic Wh(12) has a court order with spread 1 at all), C = 4
gave no answer in 700 s (BENCHMARKS.md, twenty-sixth session).
"""

import itertools
import os
import sys
import time

from pysat.formula import CNF, IDPool
from pysat.solvers import Solver

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rotating_whist import SYMBOLS, cardinality, check  # noqa: E402


def build(c):
    m = 4 * c - 1
    inf = m
    pool, cnf = IDPool(), CNF()

    card = cardinality(cnf, pool)

    pts = list(range(m + 1))
    slots = 2 * c  # game k, side u -> slot 2k + u
    a = lambda p, s: pool.id(("a", p, s))
    g = lambda p, k: pool.id(("g", p, k))
    sh = lambda i, v: pool.id(("s", i, v))
    for p in pts:
        card([a(p, s) for s in range(slots)], 1, 1)
        for k in range(c):
            cnf.extend([[-a(p, 2 * k), g(p, k)], [-a(p, 2 * k + 1), g(p, k)], [-g(p, k), a(p, 2 * k), a(p, 2 * k + 1)]])
    for s in range(slots):
        card([a(p, s) for p in pts], 2, 2)
    cnf.append([a(inf, 0)])
    # Within a game the side holding the lower point is side 0 (inf's side in game 0).
    # The games themselves cannot be reordered: game k's court is k + s(i).
    for k in range(c):
        for p in range(m):
            cnf.append([-a(p, 2 * k + 1)] + [a(q, 2 * k) for q in range(p)] + ([a(inf, 2 * k)] if k == 0 else []))

    diff = lambda x, y: min((x - y) % m, (y - x) % m)
    partners = {d: [] for d in range(1, m // 2 + 1)}
    opponents = {d: [] for d in range(1, m // 2 + 1)}
    for x, y in itertools.combinations(range(m), 2):
        d = diff(x, y)
        for s in range(slots):
            z = pool.id(("pz", x, y, s))
            partners[d].append(z)
            cnf.extend([[-z, a(x, s)], [-z, a(y, s)], [z, -a(x, s), -a(y, s)]])
        for k in range(c):
            for s1, s2 in ((2 * k, 2 * k + 1), (2 * k + 1, 2 * k)):
                z = pool.id(("oz", x, y, s1))
                opponents[d].append(z)
                cnf.extend([[-z, a(x, s1)], [-z, a(y, s2)], [z, -a(x, s1), -a(y, s2)]])
    for d in partners:
        card(partners[d], 1, 1)
        card(opponents[d], 2, 2)

    for i in range(m):
        card([sh(i, v) for v in range(c)], 1, 1)
    cnf.append([sh(0, 0)])
    lo, hi = m // c, m // c + 1
    for v in range(c):
        card([sh(i, v) for i in range(m)], lo, hi)  # inf's courts
    # z(p, i, cc): finite player p on court cc in round i, i.e. g(p - i) + s(i) = cc.
    z = lambda p, i, cc: pool.id(("z", p, i, cc))
    for p in range(m):
        for i in range(m):
            x = (p - i) % m
            for k in range(c):
                for v in range(c):
                    cnf.append([-g(x, k), -sh(i, v), z(p, i, (k + v) % c)])
            card([z(p, i, cc) for cc in range(c)], 1, 1)
        for cc in range(c):
            card([z(p, i, cc) for i in range(m)], lo, hi)

    def decode(model):
        slot = {p: next(s for s in range(slots) if a(p, s) in model) for p in pts}
        shift = [next(v for v in range(c) if sh(i, v) in model) for i in range(m)]
        rounds = []
        for i in range(m):
            out = [None] * c
            for k in range(c):
                game = [p for u in range(2) for p in pts if slot[p] == 2 * k + u]
                out[(k + shift[i]) % c] = [p if p == inf else (p + i) % m for p in game]
            rounds.append(out)
        return rounds

    return cnf, decode


def main():
    c = int(sys.argv[1])
    cnf, decode = build(c)
    start = time.time()
    with Solver(name="cadical153", bootstrap_with=cnf.clauses) as solver:
        if not solver.solve():
            print(f"UNSAT C={c} ({time.time() - start:.1f} s)")
            return
        model = {lit for lit in solver.get_model() if lit > 0}
    rounds = decode(model)
    spread = check(4 * c, c, rounds)
    flat = "".join(SYMBOLS[p] for rd in rounds for g in rd for p in g)
    print(f'({4 * c}, {c}, 2, 2, 0, {spread}, "{flat}"),')
    print(f"solved in {time.time() - start:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
