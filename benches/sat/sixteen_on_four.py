#!/usr/bin/env python3
"""16 players on four courts for 13 rounds: is opponents 1-2 with court spread 1 within
reach of a whist design? Run by hand, not in CI (BENCHMARKS.md, thirty-fifth session).

    pip install python-sat
    python3 benches/sat/sixteen_on_four.py cyclic        # the design of whist_data.rs
    python3 benches/sat/sixteen_on_four.py random SEED SECONDS
    python3 benches/sat/sixteen_on_four.py z13 SEED

A whist design Wh(16) opposes every pair twice in 15 rounds, so leaving out two rounds
whose opposing pairs are disjoint leaves every pair 1-2 with no partner repeat; what is
left to find is a court order with every player's court counts 3-4. `cyclic` and
`random` (random base rounds over Z15 + infinity that satisfy the whist conditions) try
every such pair of rounds with a SAT model of the court order. `z13` develops 13 rounds
over Z13 plus three fixed players instead (each game holds at most one of them).
"""
import itertools
import random
import sys
import time

from pysat.card import CardEnc, EncType
from pysat.formula import CNF, IDPool
from pysat.solvers import Solver

CYCLIC = [9, 13, 15, 0, 5, 10, 2, 14, 6, 12, 7, 8, 1, 3, 4, 11]  # whist_data.rs, N = 16


def develop(base, m):
    """The m rounds of base tables (flattened a, b, c, d) developed mod m; points >= m fixed."""
    dev = lambda x, i: x if x >= m else (x + i) % m
    return [[tuple(dev(x, i) for x in base[k:k + 4]) for k in range(0, len(base), 4)] for i in range(m)]


def opposed(rnd):
    return {frozenset(p) for a, b, c, d in rnd for p in [(a, c), (a, d), (b, c), (b, d)]}


def court_order(rounds, courts=4, n=16):
    """Games of each round onto courts with every player's counts within floor..ceil."""
    pool, cnf = IDPool(), CNF()
    x = lambda r, g, c: pool.id((r, g, c))
    for r in range(len(rounds)):
        for g in range(courts):
            cnf.extend(CardEnc.equals([x(r, g, c) for c in range(courts)], 1, vpool=pool).clauses)
        for c in range(courts):
            cnf.extend(CardEnc.equals([x(r, g, c) for g in range(courts)], 1, vpool=pool).clauses)
    for g in range(courts):
        cnf.append([x(0, g, g)])  # courts relabelled: round 1 in its own order
    lo, hi = len(rounds) // courts, -(-len(rounds) // courts)
    for p in range(n):
        for c in range(courts):
            lits = [x(r, g, c) for r in range(len(rounds)) for g in range(courts) if p in rounds[r][g]]
            cnf.extend(CardEnc.atmost(lits, hi, vpool=pool, encoding=EncType.seqcounter).clauses)
            cnf.extend(CardEnc.atleast(lits, lo, vpool=pool, encoding=EncType.seqcounter).clauses)
    with Solver(name="cadical153", bootstrap_with=cnf) as s:
        return s.solve()


def try_design(base):
    rounds = develop(base, 15)
    opp = [opposed(r) for r in rounds]
    diffs = sorted({min(d, 15 - d) for d in range(1, 15) if not opp[0] & opp[d]})
    for d in diffs:  # by the development, rounds (i, i + d) are all alike
        kept = [rounds[i] for i in range(15) if i not in (0, d)]
        found = court_order(kept)
        print(f"  leave out rounds 0 and {d}: court spread 1 {'FOUND' if found else 'UNSAT'}", flush=True)
        if found:
            return True
    return False


def whist_base(p):
    """Z15 + infinity: infinity's table (inf, y) v (u, v), then three tables; partner
    differences 1..7 once each, opponent differences twice each."""
    cls = lambda a, b: min((a - b) % 15, (b - a) % 15)
    y, u, v = p[:3]
    part, opp = [cls(u, v)], [cls(y, u), cls(y, v)]
    for k in range(3):
        a, b, c, d = p[3 + 4 * k:7 + 4 * k]
        part += [cls(a, b), cls(c, d)]
        opp += [cls(a, c), cls(a, d), cls(b, c), cls(b, d)]
    return len(set(part)) == 7 and all(opp.count(t) == 2 for t in range(1, 8))


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "cyclic"
    if mode == "cyclic":
        try_design(CYCLIC)
    elif mode == "random":
        random.seed(int(sys.argv[2]))
        end = time.time() + float(sys.argv[3])
        while time.time() < end:
            p = list(range(15))
            random.shuffle(p)
            if whist_base(p):
                base = [15, p[0], p[1], p[2]] + p[3:]
                print("base", base, flush=True)
                if try_design(base):
                    return
    elif mode == "z13":
        random.seed(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
        while True:
            p = list(range(13))
            random.shuffle(p)
            base = p[:4] + [x for k in range(3) for x in (13 + k, *p[4 + 3 * k:7 + 3 * k])]
            rounds = develop(base, 13)
            pairs = {}
            for rnd in rounds:
                for a, b, c, d in rnd:
                    for q in [(a, b), (c, d)]:
                        pairs[("p", *sorted(q))] = pairs.get(("p", *sorted(q)), 0) + 1
                    for q in [(a, c), (a, d), (b, c), (b, d)]:
                        pairs[("o", *sorted(q))] = pairs.get(("o", *sorted(q)), 0) + 1
            if max(v for k, v in pairs.items() if k[0] == "p") > 1:
                continue
            opp = [pairs.get(("o", a, b), 0) for a, b in itertools.combinations(range(16), 2)]
            if max(opp) > 2 or sum(1 for o in opp if o == 0) > 3:
                continue
            print("base", base, "opponents", min(opp), "-", max(opp), "court spread 1:", court_order(rounds), flush=True)
            if court_order(rounds):
                return


if __name__ == "__main__":
    main()
