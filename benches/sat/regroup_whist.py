#!/usr/bin/env python3
"""Regroups the games of a whist design into rounds of fewer games (a SAT model). Run by
hand, not in CI.

    pip install python-sat
    python3 benches/sat/regroup_whist.py N C SPREAD GAMES [--shift K]

GAMES is a `stored_data.rs` string holding the design's games, four characters a game
(`a b c d` = (a, b) vs (c, d)), e.g. the stored 16 players on three courts for 20
rounds, whose 60 games are a Wh(16). Every pair then partners once and opposes exactly
twice whatever the grouping; the solver chooses which games share a round and court so
that each player's court counts are within SPREAD of each other, sit-outs come in laps
(everyone sits once before anyone sits twice, so games played stay within one after
every round) and nobody sits two rounds in a row. The number of rounds is the games over
C, and N must be a multiple of the sitters per round (laps of whole rounds).

With --shift K (players 0..N-1 taken as Z_N, and the games a set that x -> x + K maps
onto itself, as a cyclic design's are), each lap's rounds are asked to be one round and
its images under x -> x + K in turn, on the same courts: K of order equal to the rounds
of a lap (N / gcd(N, K)). That is a smaller search, and UNSAT then holds only for such
groupings.

Prints the `stored_data.rs` entry line, or UNSAT (for these games). Wrap it in
`timeout`: some inputs run for hours.
"""
import sys

from pysat.card import CardEnc, EncType
from pysat.formula import CNF, IDPool
from pysat.solvers import Solver

SYMBOLS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def main():
    args = sys.argv[1:]
    shift = None
    if "--shift" in args:
        i = args.index("--shift")
        shift = int(args[i + 1])
        del args[i : i + 2]
    n, c, spread = int(args[0]), int(args[1]), int(args[2])
    text = args[3]
    games = [tuple(SYMBOLS.index(ch) for ch in text[i : i + 4]) for i in range(0, len(text), 4)]
    assert all(len(set(g)) == 4 for g in games)
    r = len(games) // c
    assert r * c == len(games), "whole rounds"
    k = n - 4 * c
    assert k > 0 and n % k == 0, "laps of whole rounds"
    lap = n // k
    assert r % lap == 0, "whole laps"
    played = [sum(p in g for g in games) for p in range(n)]
    assert len(set(played)) == 1
    per = played[0]
    lo, hi = per // c, -(-per // c)
    lo = max(lo, hi - spread) if spread >= 1 else lo
    if spread == 0 and lo != hi:
        print("UNSAT (games per player do not split evenly)")
        return

    pool, cnf = IDPool(), CNF()
    x = lambda g, rd, ct: pool.id(("x", g, rd, ct))
    play = lambda p, rd: pool.id(("play", p, rd))

    def exactly(lits, bound):
        cnf.extend(CardEnc.equals(lits, bound=bound, vpool=pool, encoding=EncType.seqcounter).clauses)

    def between(lits, a, b):
        if b < len(lits):
            cnf.extend(CardEnc.atmost(lits, bound=b, vpool=pool, encoding=EncType.seqcounter).clauses)
        if a > 0:
            cnf.extend(CardEnc.atleast(lits, bound=a, vpool=pool, encoding=EncType.seqcounter).clauses)

    for g in range(len(games)):
        exactly([x(g, rd, ct) for rd in range(r) for ct in range(c)], 1)
    for rd in range(r):
        for ct in range(c):
            exactly([x(g, rd, ct) for g in range(len(games))], 1)
    mine = [[g for g, gm in enumerate(games) if p in gm] for p in range(n)]
    for p in range(n):
        for rd in range(r):
            lits = [x(g, rd, ct) for g in mine[p] for ct in range(c)]
            cnf.extend(CardEnc.atmost(lits, bound=1, vpool=pool, encoding=EncType.pairwise).clauses)
            # play(p, rd) <-> some game of p in round rd
            cnf.append([-play(p, rd)] + lits)
            for l in lits:
                cnf.append([-l, play(p, rd)])
        for ct in range(c):
            between([x(g, rd, ct) for g in mine[p] for rd in range(r)], lo, hi)
        for start in range(0, r, lap):
            exactly([-play(p, rd) for rd in range(start, start + lap)], 1)
        for rd in range(r - 1):
            cnf.append([play(p, rd), play(p, rd + 1)])
    # Courts and rounds are interchangeable up to the laps: game 0 opens the evening.
    cnf.append([x(0, 0, 0)])
    if shift:
        index = {tuple(gm): g for g, gm in enumerate(games)}
        image = [index.get(tuple((p + shift) % n for p in gm)) for gm in games]
        assert None not in image, "x -> x + K must map the games onto themselves"
        step = next(s for s in range(1, n + 1) if s * shift % n == 0)
        assert step == lap, f"x -> x + {shift} has order {step}, a lap has {lap} rounds"
        for start in range(0, r, lap):
            for j in range(lap):
                nxt = start + (j + 1) % lap
                for g in range(len(games)):
                    for ct in range(c):
                        a, b = x(g, start + j, ct), x(image[g], nxt, ct)
                        cnf.append([-a, b])
                        cnf.append([a, -b])

    solver = Solver(name="cadical153", bootstrap_with=cnf.clauses)
    if not solver.solve():
        print("UNSAT")
        return
    model = set(l for l in solver.get_model() if l > 0)
    out = []
    for rd in range(r):
        for ct in range(c):
            (g,) = [g for g in range(len(games)) if x(g, rd, ct) in model]
            out.append("".join(SYMBOLS[p] for p in games[g]))
    counts = [[0] * c for _ in range(n)]
    for i, gm in enumerate(out):
        for ch in gm:
            counts[SYMBOLS.index(ch)][i % c] += 1
    worst = max(max(row) - min(row) for row in counts)
    print(f"    ({n}, {c}, 2, 2, 1, {worst}, \"{''.join(out)}\"),")


if __name__ == "__main__":
    main()
