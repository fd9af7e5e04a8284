#!/usr/bin/env python3
"""Opens N watches on a kplane API server, then makes writes and measures how long each write
takes to reach every watcher (from just before the write request to the event line's arrival).
Usage: watch_fanout.py BASE_URL [WATCHERS] [WRITES]"""
import asyncio
import json
import statistics
import sys
import time
import urllib.request

BASE = sys.argv[1].rstrip("/")
WATCHERS = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
WRITES = int(sys.argv[3]) if len(sys.argv) > 3 else 20
HOST, PORT = BASE.split("//")[1].split(":")
NS = "fanout"


def request(method, path, body=None):
    req = urllib.request.Request(BASE + path, method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


async def watcher(rv, arrivals, ready):
    reader, writer = await asyncio.open_connection(HOST, int(PORT), limit=1 << 20)
    writer.write(f"GET /api/v1/namespaces/{NS}/configmaps?watch=true&resourceVersion={rv} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    await writer.drain()
    await reader.readuntil(b"\r\n\r\n")
    ready.release()
    while True:
        size = int((await reader.readline()).strip(), 16)
        if size == 0:
            return
        chunk = await reader.readexactly(size + 2)
        now = time.perf_counter()
        for line in chunk.split(b"\n"):
            if b'"name":"w-' in line:
                name = line.split(b'"name":"w-')[1].split(b'"')[0].decode()
                arrivals.setdefault(name, []).append(now)


async def main():
    try:
        request("POST", "/api/v1/namespaces", {"metadata": {"name": NS}})
    except Exception:
        pass
    rv = request("GET", f"/api/v1/namespaces/{NS}/configmaps")["metadata"]["resourceVersion"]
    arrivals = {}
    ready = asyncio.Semaphore(0)
    tasks = [asyncio.create_task(watcher(rv, arrivals, ready)) for _ in range(WATCHERS)]
    for _ in range(WATCHERS):
        await ready.acquire()
    await asyncio.sleep(0.5)
    latencies = []
    loop = asyncio.get_running_loop()
    for i in range(WRITES):
        name = str(i)
        start = time.perf_counter()
        await loop.run_in_executor(None, request, "POST", f"/api/v1/namespaces/{NS}/configmaps",
                                   {"metadata": {"name": "w-" + name}, "data": {"i": name}})
        deadline = time.perf_counter() + 5
        while len(arrivals.get(name, [])) < WATCHERS and time.perf_counter() < deadline:
            await asyncio.sleep(0.001)
        got = arrivals.get(name, [])
        latencies.append((max(got) - start) * 1000 if len(got) == WATCHERS else float("inf"))
        await asyncio.sleep(0.05)
    for t in tasks:
        t.cancel()
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"watch fan-out: {WATCHERS} watchers, {WRITES} writes: last watcher reached after "
          f"p50 {statistics.median(latencies):.1f} ms, p99 {p99:.1f} ms, max {latencies[-1]:.1f} ms")


asyncio.run(main())
