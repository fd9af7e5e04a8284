#!/usr/bin/env python3
"""Fleet figures for issue #5, against a release `kplane up --nodes 1000` (a fresh cluster per
figure and run; the script talks plain HTTP and polls lightly, every 100 ms):

  up        process start to API answering with all 1,000 nodes Ready
  10k       one Deployment of 10,000 replicas (10m CPU, 16Mi each), from create to all Running,
            Ready and Available
  100x100   100 Deployments x 100 replicas created at once, to all Available
  memory    peak resident set size (VmHWM) of the kplane process after each

Scheduler throughput alone comes from the SchedulerPerf target (see BENCHMARKS.md).
Usage: Benchmarks/fleet.py [RUNS]   (build first: swift build -c release --product kplane)
"""
import json, os, re, shutil, statistics, subprocess, sys, tempfile, time, urllib.request

from kplane_api import call

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
NODES = 1000
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = subprocess.check_output(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, text=True).strip() + "/kplane"




def start():
    data = tempfile.mkdtemp()
    t0 = time.perf_counter()
    p = subprocess.Popen([BIN, "up", "--port", "0", "--data-dir", data, "--nodes", str(NODES)], stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    base = "http://127.0.0.1:" + re.search(r"http://127\.0\.0\.1:(\d+)", line).group(1)
    while True:
        nodes = call(base, "GET", "/api/v1/nodes")["items"]
        if len(nodes) == NODES and all(any(c["type"] == "Ready" and c["status"] == "True" for c in n["status"].get("conditions", [])) for n in nodes):
            return p, data, base, time.perf_counter() - t0
        time.sleep(0.05)


def peak_rss_mb(p):
    with open(f"/proc/{p.pid}/status") as f:
        return int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1)) / 1024


def stop(p, data):
    p.terminate()
    p.wait()
    shutil.rmtree(data, ignore_errors=True)


def deployment(name, replicas):
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "app", "image": "app:1",
                                                           "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}}}]}}}}


def available(d):
    s, want = d.get("status", {}), d["spec"]["replicas"]
    return (s.get("observedGeneration", 0) >= d["metadata"]["generation"] and s.get("readyReplicas", 0) == want
            and s.get("availableReplicas", 0) == want and s.get("updatedReplicas", 0) == want)


DEPS = "/apis/apps/v1/namespaces/default/deployments"
ups, big, big_mem, many, many_mem = [], [], [], [], []
for run in range(RUNS):
    p, data, base, up = start()
    ups.append(up)
    t0 = time.perf_counter()
    call(base, "POST", DEPS, deployment("big", 10000))
    while not available(call(base, "GET", DEPS + "/big")):
        time.sleep(0.1)
    big.append(time.perf_counter() - t0)
    big_mem.append(peak_rss_mb(p))
    stop(p, data)

    p, data, base, _ = start()
    t0 = time.perf_counter()
    for i in range(100):
        call(base, "POST", DEPS, deployment(f"d{i}", 100))
    while not all(available(d) for d in call(base, "GET", DEPS)["items"]):
        time.sleep(0.1)
    many.append(time.perf_counter() - t0)
    many_mem.append(peak_rss_mb(p))
    stop(p, data)
    print(f"run {run + 1}: up {up:.2f} s, 10k {big[-1]:.2f} s ({big_mem[-1]:.0f} MB), 100x100 {many[-1]:.2f} s ({many_mem[-1]:.0f} MB)", flush=True)

med = statistics.median
print(f"median of {RUNS} runs, kplane up with {NODES} simulated nodes:")
print(f"kplane up to {NODES} nodes Ready:                   {med(ups) * 1000:7.0f} ms")
print(f"10,000-replica Deployment, create to all Ready:     {med(big):7.2f} s    (target < 15 s)")
print(f"  peak RSS:                                         {med(big_mem):7.0f} MB   (target < 1024 MB)")
print(f"100 Deployments x 100 replicas, to all Available:   {med(many):7.2f} s")
print(f"  peak RSS:                                         {med(many_mem):7.0f} MB   (target < 1024 MB)")
