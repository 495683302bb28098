#!/usr/bin/env python3
"""SAT model behind the club-length entries of src/services/scheduling/stored_data.rs
that `stored.rs` attributes to "a second SAT model". Run by hand, not in CI.

    pip install python-sat
    python3 benches/sat/club_lengths.py N C R OPP_MIN OPP_MAX SPREAD RUN [--shift K | --free]
        [--loose-partners] [--sort] [--outside K]

Looks for an Americano schedule of N players on C courts for R rounds with partner
repeats at the forced minimum (every pair's partner count within floor..ceil of 2CR/P,
which is stricter only when 2CR > P; --loose-partners asks only that every pair
partners at least once, which is what the quality report counts), every pair's opponent count in OPP_MIN..=OPP_MAX, each
player's court counts within SPREAD of each other, no sit-out run longer than RUN, and
games within one after every round. Sit-outs are fixed in advance as laps of all N
players, each lap the previous one rotated by K (default 1): that spares the solver most
of its work, so UNSAT holds for that layout only (or for any layout when every sitter is
distinct, R * (N - 4C) <= N). Without sit-outs, round 1 is fixed instead.
With --free the sit-outs are the solver's too (games within one after every round
becomes a bound on each player's sit-outs after each round) and round 1 is fixed, which
any schedule can be relabelled to: UNSAT then holds for every schedule.
With --outside K at most K pairs have an opponent count outside floor..ceil of 4CR/P
(the quality report's "pairs outside the opponent bound"), each still in OPP_MIN..OPP_MAX.
With --sort and no sit-outs the rounds after the first are also put in order (player 0's
court, then partner): that can only shorten an UNSAT proof, and it can slow a search
that has answers.

Prints the entry line for stored_data.rs, or UNSAT. Wrap it in `timeout`: some sizes
run for hours. `scheduling::tests::stored_schedules_through_the_public_call` checks
the entry's figures once it is in the table.
"""
import itertools
import sys
import time

from pysat.card import CardEnc, EncType
from pysat.formula import CNF, IDPool
from pysat.solvers import Solver

SYMBOLS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def lap_sit_outs(n, c, r, shift):
    k, seq, lap = n - 4 * c, [], 0
    while len(seq) < r * k:
        seq.extend((i + lap * shift) % n for i in range(n))
        lap += 1
    return [set(seq[i * k:(i + 1) * k]) for i in range(r)]


def build(n, c, r, olo, ohi, spread, run, sits, loose=False, sort=False, outside=None):
    pool, cnf = IDPool(), CNF()
    slots, k = 2 * c, n - 4 * c
    v = lambda rd, p, s: pool.id(("v", rd, p, s))  # p in team slot s (court s // 2)
    sit = lambda rd, p: pool.id(("sit", rd, p))

    def card(lits, lo, hi, guard=None):
        clauses = []
        if hi < len(lits):
            clauses += CardEnc.atmost(lits, bound=hi, vpool=pool, encoding=EncType.seqcounter).clauses
        if lo > 0:
            clauses += CardEnc.atleast(lits, bound=lo, vpool=pool, encoding=EncType.seqcounter).clauses
        cnf.extend([cl + ([-guard] if guard else []) for cl in clauses])

    for rd in range(r):
        for p in range(n):
            card([v(rd, p, s) for s in range(slots)] + [sit(rd, p)], 1, 1)
            if sits is not None:
                cnf.append([sit(rd, p)] if p in sits[rd] else [-sit(rd, p)])
        for s in range(slots):
            card([v(rd, p, s) for p in range(n)], 2, 2)
        # The two teams of a court are interchangeable: its lowest player is in team A.
        for ct in range(c):
            for p in range(n):
                cnf.append([-v(rd, p, 2 * ct + 1)] + [v(rd, q, 2 * ct) for q in range(p)])
    if k == 0 or sits is None:
        # Any schedule can be relabelled so that round 1 is 0 1 v 2 3, 4 5 v 6 7, ...
        for p in range(n):
            cnf.append([v(0, p, p // 2)] if p < 4 * c else [sit(0, p)])
    if k == 0 and sort:
        # Without sit-outs the rounds after the first are interchangeable: sort them by
        # player 0's team slot, then by player 0's partner.
        for rd in range(1, r - 1):
            for s in range(slots):
                for s2 in range(s):
                    cnf.append([-v(rd, 0, s), -v(rd + 1, 0, s2)])
                for a in range(1, n):
                    for b in range(1, a):
                        cnf.append([-v(rd, 0, s), -v(rd + 1, 0, s), -v(rd, a, s), -v(rd + 1, b, s)])
    if sits is None:
        # Free sit-outs: games within one after every round, as cumulative bounds.
        for p in range(n):
            for rd in range(1, r):
                played = 4 * c * (rd + 1)
                lo, hi = played // n, -(-played // n)
                card([sit(q, p) for q in range(rd + 1)], rd + 1 - hi, rd + 1 - lo)
    for p in range(n):
        for rd in range(r - run):
            cnf.append([-sit(q, p) for q in range(rd, rd + run + 1)])
    partner_slots, pairs = 2 * c * r, n * (n - 1) // 2
    plo, phi = (0, 1) if partner_slots <= pairs else (partner_slots // pairs, -(-partner_slots // pairs))
    if loose and partner_slots > pairs:
        # Only what the quality report counts: every pair partners at least once.
        plo, phi = 1, partner_slots
    bound_lo, bound_hi = 4 * c * r // pairs, -(-4 * c * r // pairs)
    out_flags = []
    for a, b in itertools.combinations(range(n), 2):
        partners, opponents = [], []
        for rd in range(r):
            for s in range(slots):
                z = pool.id(("z", rd, s, a, b))
                partners.append(z)
                cnf.extend([[-v(rd, a, s), -v(rd, b, s), z], [-z, v(rd, a, s)], [-z, v(rd, b, s)]])
            o = pool.id(("o", rd, a, b))
            opponents.append(o)
            for ct in range(c):
                for t in range(2):
                    mine, theirs = 2 * ct + t, 2 * ct + 1 - t
                    cnf.append([-v(rd, a, mine), -v(rd, b, theirs), o])
                    cnf.append([-o, -v(rd, a, mine), v(rd, b, theirs)])
            cnf.append([-o, -sit(rd, a)])
        card(partners, plo, phi)
        card(opponents, olo, ohi)
        if outside is not None:
            # y: this pair may leave floor..ceil of 4CR/P (within OPP_MIN..OPP_MAX).
            y = pool.id(("out", a, b))
            out_flags.append(y)
            card(opponents, bound_lo, bound_hi, guard=-y)
    if outside is not None:
        card(out_flags, 0, outside)
    if c > 1:
        for p in range(n):
            if sits is not None:
                counts = [r - sum(p in s for s in sits)]
            else:
                counts = sorted({4 * c * r // n, -(-4 * c * r // n)})
            on = [[pool.id(("w", rd, p, ct)) for rd in range(r)] for ct in range(c)]
            for ct in range(c):
                for rd in range(r):
                    w, a, b = on[ct][rd], v(rd, p, 2 * ct), v(rd, p, 2 * ct + 1)
                    cnf.extend([[-w, a, b], [w, -a], [w, -b]])
            # Court counts in lo..=lo + spread for one lo (chosen by the solver).
            lows = [lo for lo in range(r + 1) if any(lo * c <= g <= (lo + spread) * c for g in counts)]
            choice = [pool.id(("lo", p, lo)) for lo in lows]
            cnf.append(choice)
            for lo, y in zip(lows, choice):
                for ct in range(c):
                    card(on[ct], lo, lo + spread, guard=y)
    return cnf, pool


def entry(n, c, r, rounds, sits):
    """The stored_data.rs line: (N, C, opponent min, max, longest run, spread, games)."""
    opp = {pair: 0 for pair in itertools.combinations(range(n), 2)}
    courts = [[0] * c for _ in range(n)]
    for games in rounds:
        for ct, g in enumerate(games):
            for x in g[:2]:
                for y in g[2:]:
                    opp[tuple(sorted((x, y)))] += 1
            for x in g:
                courts[x][ct] += 1
    longest = 0
    for p in range(n):
        cur = 0
        for s in sits:
            cur = cur + 1 if p in s else 0
            longest = max(longest, cur)
    spread = max(max(cs) - min(cs) for cs in courts)
    flat = "".join(SYMBOLS[x] for games in rounds for g in games for x in g)
    return f'({n}, {c}, {min(opp.values())}, {max(opp.values())}, {longest}, {spread}, "{flat}"),'


def main():
    args = sys.argv[1:]
    shift = 1
    if "--shift" in args:
        i = args.index("--shift")
        shift = int(args[i + 1])
        del args[i:i + 2]
    outside = None
    if "--outside" in args:
        i = args.index("--outside")
        outside = int(args[i + 1])
        del args[i:i + 2]
    free, loose, sort = "--free" in args, "--loose-partners" in args, "--sort" in args
    args = [a for a in args if a not in ("--free", "--loose-partners", "--sort")]
    n, c, r, olo, ohi, spread, run = map(int, args)
    sits = None if free else lap_sit_outs(n, c, r, shift)
    if sits is not None and any(len(s) != n - 4 * c for s in sits):
        sys.exit("a round would sit someone twice: try another --shift")
    cnf, pool = build(n, c, r, olo, ohi, spread, run, sits, loose, sort, outside)
    start = time.time()
    with Solver(name="cadical153", bootstrap_with=cnf.clauses) as solver:
        if not solver.solve():
            print(f"UNSAT {n}/{c}/{r} ({time.time() - start:.1f} s)")
            return
        model = {lit for lit in solver.get_model() if lit > 0}
    rounds = []
    for rd in range(r):
        slot = [[p for p in range(n) if pool.id(("v", rd, p, s)) in model] for s in range(2 * c)]
        rounds.append([slot[2 * ct] + slot[2 * ct + 1] for ct in range(c)])
    if sits is None:
        sits = [{p for p in range(n) if pool.id(("sit", rd, p)) in model} for rd in range(r)]
    print(entry(n, c, r, rounds, sits))
    print(f"solved in {time.time() - start:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
