#!/usr/bin/env python3
"""SAT model behind the rotating-court whist entries of src/services/scheduling/stored_data.rs
(the whist length on N/4 courts with court spread 1). Run by hand, not in CI.

    pip install python-sat
    python3 benches/sat/rotating_whist.py C A [--mu M [--fix F] [--cycle | --k0 a,b,..]] [--nocourt]

Looks for a whist design Wh(4C) (every pair partners once and opposes twice; C odd) with
an automorphism of order C that moves every court on by one: players are (i, t) for
i < 4, t in Z_C, and the map is t -> t + 1. The rounds are A base rounds, each developed
over Z_C (game G on court q gives G + k on court q + k, k in Z_C), and B = 4C - 1 - A*C
fixed rounds, each one game G with one player of every orbit, G + k on court o + k.
A cyclic design on Z_(N-1) u {inf} cannot have court spread 1 by a rule like this: its
fixed point plays in the same game position all evening. Here player (i, t) plays on
court c exactly as often as (i, 0) on court c - t, so only four players' court counts
need constraining, and every court gets one short player from each orbit.

Symmetry (valid for every such design): each orbit can be translated on its own and the
courts turned, so fixed round 0 is (0,0) (1,0) v (2,0) (3,0) on court 0; the other fixed
rounds are put in order. UNSAT holds for this structure only.
C = 5 with A = 1 answers in about a second; C = 7 is unsatisfiable with A = 1 (50 s).

With `--mu M` (M a unit of Z_C of odd order k) the design is also asked to be invariant
under the multiplier t -> M t, which maps court q to court M q: each base round to itself
up to a turn (`--k0` gives the turn of each, M B = B + k0; 0 unless M - 1 is not a unit),
or with `--cycle` the base rounds in runs of k mapped one to the next; the first `--fix F`
fixed rounds (default 1) to themselves, the others in runs of k. That shrinks the search
about k times, and where a design has that symmetry the solver answers in seconds:

    python3 benches/sat/rotating_whist.py 7 3 --mu 2 --fix 0     # 28 players, 4 s
    python3 benches/sat/rotating_whist.py 11 3 --mu 3 --fix 0    # 44 players, 4 s
    python3 benches/sat/rotating_whist.py 13 2 --mu 3            # 52 players, 30 s

Unsatisfiable (so no design of that shape): 7 2 --mu 2 (0.3 s), 7 3 --mu 2 --fix 0
--cycle, 11 2 --mu 3, 11 1 --mu 3 --fix 2, and for 36 players (C = 9, --mu 4) every
--fix and --cycle tried with turns 0, 1 and 2 (BENCHMARKS.md, twenty-fifth session). An
odd C is needed (the turn by C/2 would make the pair {x, x + C/2} partner twice); 12 and
60 players (C = 3, 15) have no multiplier of odd order. `group_whist.py` generalises this
model to other groups and several orbits of courts.

Prints the entry line for stored_data.rs (after checking it), or UNSAT.
"""

import itertools
import sys
import time

from pysat.card import CardEnc, EncType
from pysat.formula import CNF, IDPool
from pysat.solvers import Solver

SYMBOLS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def flag(name, default):
    """The value after `--name` on the command line, or the default."""
    args = sys.argv[1:]
    return args[args.index(name) + 1] if name in args else default


MU, FIX, BASECYC, K0 = 0, 1, False, []  # set from the command line by main()


def cardinality(cnf, pool):
    """A function adding lo <= (number of true lits) <= hi to cnf (sequential counters)."""

    def card(lits, lo, hi):
        enc = EncType.seqcounter
        if lo == hi:
            cnf.extend(CardEnc.equals(lits, bound=lo, vpool=pool, encoding=enc).clauses)
            return
        cnf.extend(CardEnc.atmost(lits, bound=hi, vpool=pool, encoding=enc).clauses)
        cnf.extend(CardEnc.atleast(lits, bound=lo, vpool=pool, encoding=enc).clauses)

    return card


def mu_order(c):
    order = 1
    while pow(MU, order, c) != 1:
        order += 1
    return order


def build(c, a, courts=True):
    """The clauses, and a function from a model to the rounds (games in court order)."""
    r = 4 * c - 1
    b = r - a * c
    pool, cnf = IDPool(), CNF()

    card = cardinality(cnf, pool)

    pts = [(i, t) for i in range(4) for t in range(c)]
    slots = 2 * c  # court q, side u -> slot 2q + u
    x = lambda rd, p, s: pool.id(("x", rd, p, s))
    for rd in range(a):
        for p in pts:
            card([x(rd, p, s) for s in range(slots)], 1, 1)
        for s in range(slots):
            card([x(rd, p, s) for p in pts], 2, 2)
        if MU:
            order = mu_order(c)
            nxt = rd if not BASECYC else (rd // order) * order + (rd % order + 1) % order
            k0 = K0[rd] if rd < len(K0) and not BASECYC else 0
            for i, t in pts:
                for q in range(c):
                    for u in range(2):
                        cnf.append(
                            [-x(rd, (i, t), 2 * q + u), x(nxt, (i, (MU * t - k0) % c), 2 * ((MU * q - k0) % c) + u)]
                        )
        for q in range(c if not MU else 0):  # the lowest player of a court is on side 0
            for k, p in enumerate(pts):
                cnf.append([-x(rd, p, 2 * q + 1)] + [x(rd, pp, 2 * q) for pp in pts[:k]])

    def orbit(p1, p2):
        """The pair's orbit under t -> t + 1: (i, j, difference)."""
        (i, t), (j, u) = sorted((p1, p2))
        d = (u - t) % c
        return (i, j, min(d, c - d) if i == j else d)

    orbits = sorted({orbit(p1, p2) for p1, p2 in itertools.combinations(pts, 2)})
    partners = {o: [] for o in orbits}
    opponents = {o: [] for o in orbits}
    for rd in range(a):
        for p1, p2 in itertools.combinations(pts, 2):
            o = orbit(p1, p2)
            for s in range(slots):
                z = pool.id(("pz", rd, p1, p2, s))
                partners[o].append(z)
                cnf.extend([[-z, x(rd, p1, s)], [-z, x(rd, p2, s)], [z, -x(rd, p1, s), -x(rd, p2, s)]])
            for q in range(c):
                for s1, s2 in ((2 * q, 2 * q + 1), (2 * q + 1, 2 * q)):
                    z = pool.id(("oz", rd, p1, p2, s1))
                    opponents[o].append(z)
                    cnf.extend([[-z, x(rd, p1, s1)], [-z, x(rd, p2, s2)], [z, -x(rd, p1, s1), -x(rd, p2, s2)]])
    # Fixed round j: (0, 0) with (m, s_m) v the other two; offset o_j.
    sv = lambda j, i, t: pool.id(("s", j, i, t))
    mv = lambda j, m: pool.id(("m", j, m))
    ov = lambda j, o: pool.id(("o", j, o))
    for j in range(b):
        cnf.append([sv(j, 0, 0)])
        for i in range(4):
            card([sv(j, i, t) for t in range(c)], 1, 1)
        card([mv(j, m) for m in (1, 2, 3)], 1, 1)
        card([ov(j, o) for o in range(c)], 1, 1)
        for i1, i2 in itertools.combinations(range(4), 2):
            (mate,) = [m for m in (1, 2, 3) if {i1, i2} in ({0, m}, {1, 2, 3} - {m})]
            for t1 in range(c):
                for t2 in range(c):
                    o = orbit((i1, t1), (i2, t2))
                    zp, zo = pool.id(("fp", j, i1, i2, t1, t2)), pool.id(("fo", j, i1, i2, t1, t2))
                    both = [sv(j, i1, t1), sv(j, i2, t2)]
                    cnf.extend(
                        [[-zp, both[0]], [-zp, both[1]], [-zp, mv(j, mate)], [zp, -both[0], -both[1], -mv(j, mate)]]
                    )
                    cnf.extend(
                        [[-zo, both[0]], [-zo, both[1]], [-zo, -mv(j, mate)], [zo, -both[0], -both[1], mv(j, mate)]]
                    )
                    partners[o].append(zp)
                    opponents[o].append(zo)
    for o in orbits:
        card(partners[o], 1, 1)
        card(opponents[o], 2, 2)
    if b > 0:
        if not MU or FIX >= 1:
            for i in range(4):
                cnf.append([sv(0, i, 0)])
            cnf.extend([[mv(0, 1)], [ov(0, 0)]])
        if MU:
            order = mu_order(c)
            for j in range(1, FIX):
                for i in range(4):
                    for t in range(c):
                        cnf.append([-sv(j, i, t), sv(j, i, (MU * t) % c)])
                for o in range(c):
                    cnf.append([-ov(j, o), ov(j, (MU * o) % c)])
            free = (b - FIX) // order
            assert free * order == b - FIX, "fixed rounds do not split into multiplier orbits"
            for j in range(FIX, FIX + free):
                for e in range(1, order):
                    jj = j + e * free
                    f = pow(MU, e, c)
                    for i in range(4):
                        for t in range(c):
                            cnf.append([-sv(j, i, t), sv(jj, i, (f * t) % c)])
                    for m in (1, 2, 3):
                        cnf.append([-mv(j, m), mv(jj, m)])
                    for o in range(c):
                        cnf.append([-ov(j, o), ov(jj, (f * o) % c)])
        else:
            for j in range(1, b - 1):
                for t in range(c):
                    for t2 in range(t):
                        cnf.append([-sv(j, 1, t), -sv(j + 1, 1, t2)])
    if courts:
        # Player (i, 0) is on court cc in developed round k of a base round when (i, -k)
        # is on court cc - k there, i.e. (i, t) on court cc + t; in fixed round j when
        # o_j = cc + s_i.
        for i in range(4):
            for cc in range(c):
                lits = [x(rd, (i, t), 2 * ((cc + t) % c) + u) for rd in range(a) for t in range(c) for u in range(2)]
                for j in range(b):
                    for t in range(c):
                        z = pool.id(("fc", j, i, cc, t))
                        lits.append(z)
                        cnf.extend(
                            [[-z, sv(j, i, t)], [-z, ov(j, (cc + t) % c)], [z, -sv(j, i, t), -ov(j, (cc + t) % c)]]
                        )
                card(lits, r // c, r // c + 1)
    return cnf, lambda model: rounds_of(model, c, a, b, pts, x, sv, mv, ov)


def rounds_of(model, c, a, b, pts, x, sv, mv, ov):
    num = lambda i, t: i * c + t % c
    rounds = []
    for rd in range(a):
        slot = [[p for p in pts if x(rd, p, s) in model] for s in range(2 * c)]
        games = [slot[2 * q] + slot[2 * q + 1] for q in range(c)]
        for k in range(c):
            out = [None] * c
            for q, g in enumerate(games):
                out[(q + k) % c] = [num(i, t + k) for i, t in g]
            rounds.append(out)
    for j in range(b):
        s = [next(t for t in range(c) if sv(j, i, t) in model) for i in range(4)]
        mate = next(m for m in (1, 2, 3) if mv(j, m) in model)
        off = next(o for o in range(c) if ov(j, o) in model)
        order = [0, mate] + sorted({1, 2, 3} - {mate})
        out = [None] * c
        for k in range(c):
            out[(off + k) % c] = [num(i, s[i] + k) for i in order]
        rounds.append(out)
    return rounds


def check(n, c, rounds):
    """Independent check: every pair partners once and opposes twice, courts within one."""
    part, opp = {}, {}
    courts = [[0] * c for _ in range(n)]
    for rd in rounds:
        assert sorted(p for g in rd for p in g) == list(range(n))
        for q, g in enumerate(rd):
            for pair in (g[:2], g[2:]):
                key = tuple(sorted(pair))
                part[key] = part.get(key, 0) + 1
            for p in g[:2]:
                for o in g[2:]:
                    key = tuple(sorted((p, o)))
                    opp[key] = opp.get(key, 0) + 1
            for p in g:
                courts[p][q] += 1
    pairs = list(itertools.combinations(range(n), 2))
    assert all(part.get(p) == 1 for p in pairs), "partners"
    assert all(opp.get(p) == 2 for p in pairs), "opponents"
    return max(max(cs) - min(cs) for cs in courts)


def main():
    global MU, FIX, BASECYC, K0
    MU = int(flag("--mu", "0"))
    FIX = int(flag("--fix", "1"))
    BASECYC = "--cycle" in sys.argv
    K0 = [int(v) for v in flag("--k0", "").split(",") if v]
    args = sys.argv[1:]
    valued = {i + 1 for i, s in enumerate(args) if s in ("--mu", "--fix", "--k0")}
    c, a = (int(s) for i, s in enumerate(args) if not s.startswith("--") and i not in valued)
    if c % 2 == 0 or not 0 < a * c <= 4 * c - 1:
        sys.exit("C must be odd and A * C at most 4C - 1")
    courts = "--nocourt" not in sys.argv
    cnf, decode = build(c, a, courts)
    start = time.time()
    with Solver(name="cadical153", bootstrap_with=cnf.clauses) as solver:
        if not solver.solve():
            print(f"UNSAT C={c} A={a} ({time.time() - start:.1f} s)")
            return
        model = {lit for lit in solver.get_model() if lit > 0}
    n = 4 * c
    rounds = decode(model)
    spread = check(n, c, rounds)
    flat = "".join(SYMBOLS[p] for rd in rounds for g in rd for p in g)
    print(f'({n}, {c}, 2, 2, 0, {spread}, "{flat}"),')
    print(f"solved in {time.time() - start:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
