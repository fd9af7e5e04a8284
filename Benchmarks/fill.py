#!/usr/bin/env python3
"""Creates N small ConfigMaps through the API (16 keep-alive connections), then prints the
server's resident memory. Usage: fill.py BASE_URL PID [N]"""
import http.client
import json
import sys
import threading
import time

BASE, PID = sys.argv[1], sys.argv[2]
N = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
HOST, PORT = BASE.split("//")[1].split(":")
NS = "fill"


def worker(start, count):
    c = http.client.HTTPConnection(HOST, int(PORT))
    for i in range(start, start + count):
        body = json.dumps({"metadata": {"name": f"cm-{i}", "labels": {"app": "fill"}}, "data": {"key": f"value-{i}"}})
        c.request("POST", f"/api/v1/namespaces/{NS}/configmaps", body, {"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        assert r.status == 201, r.status


def rss():
    fields = dict(line.split(":", 1) for line in open(f"/proc/{PID}/status"))
    return fields["VmRSS"].strip(), fields["VmHWM"].strip()


c = http.client.HTTPConnection(HOST, int(PORT))
c.request("POST", "/api/v1/namespaces", json.dumps({"metadata": {"name": NS}}), {"Content-Type": "application/json"})
c.getresponse().read()
before = rss()
t0 = time.time()
threads = [threading.Thread(target=worker, args=(k * (N // 16), N // 16)) for k in range(16)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.time() - t0
print(f"memory: {N} ConfigMaps created in {elapsed:.1f} s ({N / elapsed:.0f}/s); server RSS before {before[0]}, after {rss()[0]} (peak {rss()[1]})")
