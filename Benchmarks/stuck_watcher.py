#!/usr/bin/env python3
"""Does a watcher that never reads make the server grow? Runs WRITES updates (16 keep-alive
connections, 100 ConfigMaps updated in turn, so the store itself stays the same size) once to
fill the change history, then opens STUCK watches that never read and runs WRITES updates again.
Prints the server's resident memory after each phase; the second growth is what the stuck
watchers cost. Usage: stuck_watcher.py BASE_URL PID [WRITES] [STUCK]"""
import http.client
import json
import socket
import sys
import threading

BASE, PID = sys.argv[1], sys.argv[2]
WRITES = int(sys.argv[3]) if len(sys.argv) > 3 else 20_000
STUCK = int(sys.argv[4]) if len(sys.argv) > 4 else 1
HOST, PORT = BASE.split("//")[1].split(":")
NS = "stuck"
PAYLOAD = "x" * 1000


def call(c, method, path, body):
    c.request(method, path, json.dumps(body), {"Content-Type": "application/json"})
    r = c.getresponse()
    r.read()
    return r.status


def worker(start, count, round_):
    c = http.client.HTTPConnection(HOST, int(PORT))
    for i in range(start, start + count):
        name = f"cm-{i % 100}"
        body = {"metadata": {"name": name}, "data": {"round": str(round_), "i": str(i), "pad": PAYLOAD}}
        assert call(c, "PUT", f"/api/v1/namespaces/{NS}/configmaps/{name}", body) in (200, 201)


def phase(round_):
    per = WRITES // 16
    threads = [threading.Thread(target=worker, args=(t * per, per, round_)) for t in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def rss_kb():
    fields = dict(line.split(":", 1) for line in open(f"/proc/{PID}/status"))
    return int(fields["VmRSS"].split()[0])


c = http.client.HTTPConnection(HOST, int(PORT))
call(c, "POST", "/api/v1/namespaces", {"metadata": {"name": NS}})
for i in range(100):
    call(c, "POST", f"/api/v1/namespaces/{NS}/configmaps", {"metadata": {"name": f"cm-{i}"}, "data": {}})
phase(0)
phase(1)
before = rss_kb()
stuck = []
for _ in range(STUCK):
    s = socket.create_connection((HOST, int(PORT)))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.sendall(f"GET /api/v1/namespaces/{NS}/configmaps?watch=true HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    stuck.append(s)
phase(2)
after = rss_kb()
print(f"stuck watchers: {STUCK} never-reading watch(es) during {WRITES} updates: server RSS "
      f"{before} kB before, {after} kB after ({(after - before) / 1024:+.1f} MB)")
