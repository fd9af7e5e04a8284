#!/usr/bin/env python3
"""Workload figures for issue #4, against a release `kplane up --nodes 10` (10 simulated nodes of
110 pods each, since 1,000 pods do not fit on 3 kubelets' 330 slots):

  up       process start to API answering with every node Ready (median of RUNS starts)
  apply    a 100-replica Deployment (no probes) from create to 100 pods Ready and Available
  rollout  its RollingUpdate (25%/25%) to a new image, from patch to fully rolled out
  fleet    100 Deployments x 10 replicas created at once, to all Available

Usage: Benchmarks/workloads.py [RUNS]   (build first: swift build -c release --product kplane)
"""
import json, os, re, shutil, subprocess, statistics, sys, tempfile, time, urllib.request

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
NODES = 10
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = subprocess.check_output(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, text=True).strip() + "/kplane"


def call(base, method, path, body=None, ctype="application/json"):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    if body is not None:
        req.add_header("Content-Type", ctype)
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def start():
    data = tempfile.mkdtemp()
    t0 = time.perf_counter()
    p = subprocess.Popen([BIN, "up", "--port", "0", "--data-dir", data, "--nodes", str(NODES)], stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    port = re.search(r"http://127\.0\.0\.1:(\d+)", line).group(1)
    base = f"http://127.0.0.1:{port}"
    while True:
        nodes = call(base, "GET", "/api/v1/nodes")["items"]
        if len(nodes) == NODES and all(any(c["type"] == "Ready" and c["status"] == "True" for c in n["status"]["conditions"]) for n in nodes):
            break
    return p, data, base, time.perf_counter() - t0


def stop(p, data):
    p.terminate()
    p.wait()
    shutil.rmtree(data, ignore_errors=True)


def deployment(name, replicas, image="app:1"):
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": "app", "image": image}]}}}}


def rolled_out(d):
    s, want = d.get("status", {}), d["spec"]["replicas"]
    return (s.get("observedGeneration", 0) >= d["metadata"]["generation"] and s.get("updatedReplicas", 0) == want
            and s.get("replicas", 0) == want and s.get("availableReplicas", 0) == want)


def wait(base, path, done):
    while True:
        if done(call(base, "GET", path)):
            return
        time.sleep(0.005)


ups, applies, rollouts, fleets = [], [], [], []
for _ in range(RUNS):
    p, data, base, up = start()
    ups.append(up)
    deps = "/apis/apps/v1/namespaces/default/deployments"
    t0 = time.perf_counter()
    call(base, "POST", deps, deployment("big", 100))
    wait(base, deps + "/big", rolled_out)
    applies.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    call(base, "PATCH", deps + "/big", {"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "app:2"}]}}}},
         "application/strategic-merge-patch+json")
    wait(base, deps + "/big", lambda d: d["spec"]["template"]["spec"]["containers"][0]["image"] == "app:2" and rolled_out(d))
    rollouts.append(time.perf_counter() - t0)
    stop(p, data)

    p, data, base, _ = start()
    t0 = time.perf_counter()
    for i in range(100):
        call(base, "POST", deps, deployment(f"d{i}", 10))
    wait(base, deps, lambda l: len(l["items"]) == 100 and all(rolled_out(d) for d in l["items"]))
    fleets.append(time.perf_counter() - t0)
    stop(p, data)

med = lambda xs: statistics.median(xs)
print(f"median of {RUNS} runs, kplane up with {NODES} simulated nodes, readiness immediate:")
print(f"kplane up to ready (API + nodes Ready):        {med(ups) * 1000:7.0f} ms   (target < 1000 ms)")
print(f"100-replica Deployment, apply to all Ready:    {med(applies) * 1000:7.0f} ms   (target < 2000 ms)")
print(f"its rolling update 25%/25%, patch to done:     {med(rollouts) * 1000:7.0f} ms   (target < 2000 ms)")
print(f"100 Deployments x 10 replicas, to Available:   {med(fleets) * 1000:7.0f} ms")
