#!/usr/bin/env python3
"""SSE fan-out: open N event streams on one tournament, save scores, and
measure save -> event received by every subscriber. Python stdlib only.

usage: sse_fanout.py HOST PORT TOURNAMENT_ID MATCH_IDS(comma-separated, unplayed) COOKIE CSRF STREAMS SERVER_PID
Each save records a new score on an unplayed match (the courtside case).
"""
import asyncio, re, resource, sys, time

host, port, tid, mids, cookie, csrf, streams, pid = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], int(sys.argv[7]), sys.argv[8]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, streams + 1000), hard))

received = []  # per stream: list of (time, id)


async def reader(i, ready):
    r, w = await asyncio.open_connection(host, port)
    w.write(f"GET /tournaments/{tid}/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n".encode())
    await w.drain()
    seen = []
    received.append(seen)
    buf = b""
    initial = True
    while True:
        chunk = await r.read(65536)
        if not chunk:
            return
        now = time.perf_counter()
        buf += chunk
        for m in re.finditer(rb"\nid: (\d+)", buf):
            seen.append((now, int(m.group(1))))
        buf = buf[-64:]
        if initial and seen:
            initial = False
            ready.release()


def rss_mb():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


async def save(mid, version, a):
    r, w = await asyncio.open_connection(host, port)
    body = f"score_a={a}&score_b={24 - a}&version={version}".encode()
    w.write(
        f"POST /matches/{mid}/score HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\nHX-Request: true\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body
    )
    await w.drain()
    data = await r.read()
    w.close()
    m = re.search(rb'name="version" value="(\d+)"', data)
    return int(m.group(1)) if m else version


async def main():
    ready = asyncio.Semaphore(0)
    rss0 = rss_mb()
    tasks = []
    for i in range(streams):
        tasks.append(asyncio.create_task(reader(i, ready)))
        if i % 200 == 199:
            await asyncio.sleep(0.05)  # stay under the listen backlog
    for _ in range(streams):
        await asyncio.wait_for(ready.acquire(), 60)
    rss1 = rss_mb()
    ids = mids.split(",")
    lat = []
    for k in range(10):
        await asyncio.sleep(0.5)
        before = [len(s) for s in received]
        t0 = time.perf_counter()
        await save(ids[k % len(ids)], 0, 5 + k)
        await asyncio.sleep(1.5)
        for s, b in zip(received, before):
            later = [t for (t, _) in s[b:] if t >= t0]
            lat.append((min(later) - t0) * 1000 if later else float("inf"))
    lat.sort()
    missing = sum(1 for x in lat if x == float("inf"))
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
    print(f"| {streams} streams | p50 {p(0.5):.1f} ms | p99 {p(0.99):.1f} ms | max {lat[-1]:.1f} ms | missed {missing} | server RSS {rss0:.0f} -> {rss1:.0f} MB (with streams) |")
    for t in tasks:
        t.cancel()


asyncio.run(main())
