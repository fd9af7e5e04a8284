#!/usr/bin/env python3
"""Process-backed pods (issue #12), against a release `kplane up --process-nodes 1`:

  start   N pods of one Deployment on one node, from the Deployment's creation to every pod
          Running and Ready; each pod's start (seen ADDED to seen Ready, by one watch): p50/p99
          (a burst: every pod waits for the ones before it on two cores)
  latency with those N pods running, 100 more pods created one at a time, 10 a second, as
          clusterloader2 measures Kubernetes' pod startup SLI (creation to Running and Ready,
          observed by a watch): p50/p99
  agent   the kplane process's CPU (% of one core, over 10 s of steady state) and resident
          memory per running pod (RSS with N pods minus RSS before, / N)
  oom     a container allocating 4 MiB every 20 ms past a 64 Mi limit: from its last line to
          the watch seeing OOMKilled (median of 5)

Workloads: `trivial` (busybox `sleep`), `app` (the seed's app, myapp:1.0.0, with its readiness
probe) when the image store has it.

The node's max pods is the largest N plus the 100 of the latency phase, so its podCIDR is sized
for them (a /23 for 300).

Usage: Benchmarks/process_pods.py [N ...]   (default: 100 300; build first:
       swift build -c release --product kplane)
"""
import json, os, shutil, statistics, sys, threading, time, urllib.request

COUNTS = [int(a) for a in sys.argv[1:]] or [100, 300]
from kplane_api import call, kplane_binary, ready, start_up

BIN = kplane_binary()


def start():
    return start_up(BIN, "--process-nodes", "1", "--node-max-pods", str(max(COUNTS) + 100))


def stop(p, data):
    p.terminate()
    p.wait()
    shutil.rmtree(data, ignore_errors=True)


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def watch_pods(base, selector, on_event, stop_flag):
    """Calls on_event(type, pod, seen_at) for every pod event until stop_flag is set."""
    rv = call(base, "GET", f"/api/v1/namespaces/default/pods?labelSelector={selector}")["metadata"]["resourceVersion"]
    req = urllib.request.Request(f"{base}/api/v1/namespaces/default/pods?watch=true&labelSelector={selector}&resourceVersion={rv}")
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            for line in r:
                ev = json.loads(line)
                on_event(ev["type"], ev["object"], time.perf_counter())
                if stop_flag.is_set():
                    return
    except TimeoutError:
        pass  # a watch of a phase that ended, idle since


def deployment(name, replicas, container):
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"terminationGracePeriodSeconds": 1, "containers": [container]}}}}


def delete(base, name):
    """Deletes the Deployment and waits until its pods are gone: the next run needs every pod slot of the node."""
    call(base, "DELETE", f"/apis/apps/v1/namespaces/default/deployments/{name}")
    deadline = time.time() + 120
    while call(base, "GET", f"/api/v1/namespaces/default/pods?labelSelector=app={name}")["items"] and time.time() < deadline:
        time.sleep(0.5)


def watch_ready(base, name, n):
    """Watches the pods labelled app=name: when each was first seen and first seen Ready (by
    name), an event set once n are Ready, and the flag that stops the watch."""
    added, became_ready = {}, {}
    done, stop_flag = threading.Event(), threading.Event()

    def on_event(kind, pod, t):
        pod_name = pod["metadata"]["name"]
        added.setdefault(pod_name, t)
        if ready(pod) and pod_name not in became_ready:
            became_ready[pod_name] = t
            if len(became_ready) == n:
                done.set()

    threading.Thread(target=watch_pods, args=(base, f"app={name}", on_event, stop_flag), daemon=True).start()
    time.sleep(0.3)
    return added, became_ready, done, stop_flag


def start_pods(base, pid, name, n, container):
    added, became_ready, done, stop_flag = watch_ready(base, name, n)
    rss0 = rss_kib(pid)
    t0 = time.perf_counter()
    call(base, "POST", "/apis/apps/v1/namespaces/default/deployments", deployment(name, n, container))
    if not done.wait(300):
        print(f"  {name}: only {len(became_ready)}/{n} Ready after 300 s")
        return None
    total = time.perf_counter() - t0
    starts = sorted(became_ready[u] - added[u] for u in became_ready)
    time.sleep(2)
    c0 = cpu_seconds(pid)
    time.sleep(10)
    cpu = (cpu_seconds(pid) - c0) / 10 * 100
    rss = rss_kib(pid) - rss0
    stop_flag.set()
    return total, starts[len(starts) // 2], starts[min(len(starts) - 1, int(len(starts) * 0.99))], cpu, rss / n


def latency(base, name, container, n=100, rate=10.0):
    """Creates n pods one at a time, `rate` a second; returns p50, p99 of creation to Ready seen."""
    created = {}
    _, became_ready, done, stop_flag = watch_ready(base, name, n)
    for i in range(n):
        pod_name = f"{name}-{i}"
        body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": pod_name, "labels": {"app": name}},
                "spec": {"terminationGracePeriodSeconds": 1, "containers": [container]}}
        created[pod_name] = time.perf_counter()
        call(base, "POST", "/api/v1/namespaces/default/pods", body)
        time.sleep(1 / rate)
    done.wait(120)
    stop_flag.set()
    call(base, "DELETE", f"/api/v1/namespaces/default/pods?labelSelector=app={name}")
    starts = sorted(became_ready[p] - created[p] for p in became_ready)
    if len(starts) < n:
        print(f"  {name}: only {len(starts)}/{n} Ready after 120 s")
        return None
    return starts[len(starts) // 2], starts[min(len(starts) - 1, int(len(starts) * 0.99))]


def oom(base):
    script = ("const a = []; setInterval(() => { a.push(Buffer.alloc(4 << 20, 1)); "
              "console.log(Date.now()) }, 20)")
    results = []
    for i in range(5):
        name = f"leak{i}"
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": name}},
               "spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "node:20", "command": ["node", "-e", script],
                                                                  "resources": {"limits": {"memory": "64Mi"}}}]}}
        seen = {}
        done = threading.Event()

        def on_event(kind, p, t):
            for cs in p.get("status", {}).get("containerStatuses", []):
                if cs.get("state", {}).get("terminated", {}).get("reason") == "OOMKilled" and "t" not in seen:
                    seen["t"] = time.time()
                    done.set()

        stop_flag = threading.Event()
        threading.Thread(target=watch_pods, args=(base, f"app={name}", on_event, stop_flag), daemon=True).start()
        time.sleep(0.3)
        call(base, "POST", "/api/v1/namespaces/default/pods", pod)
        done.wait(60)
        stop_flag.set()
        log = urllib.request.urlopen(f"{base}/api/v1/namespaces/default/pods/{name}/log").read().decode()
        stamps = [int(l.split()[-1]) for l in log.splitlines() if l.split() and l.split()[-1].isdigit()]
        if stamps and "t" in seen:
            results.append((seen["t"] * 1000 - stamps[-1]))
    return statistics.median(results) if results else None


def main():
    p, data, base = start()
    try:
        time.sleep(1)
        workloads = {
            "trivial": {"name": "app", "image": "busybox", "command": ["sleep", "3600"]},
            # The seed's app, Ready when its /ready answers (no warm-up), probed every second.
            "app": {"name": "app", "image": "myapp:1.0.0", "env": [{"name": "WARMUP_MS", "value": "0"}],
                    "readinessProbe": {"httpGet": {"path": "/ready", "port": 3000}, "periodSeconds": 1}},
        }
        for n in COUNTS:
            for label, container in workloads.items():
                r = start_pods(base, p.pid, f"{label}-{n}", n, container)
                if r:
                    total, p50, p99, cpu, rss = r
                    print(f"{label:8} {n:4} pods: all Ready in {total:.2f} s; pod start p50 {p50*1000:.0f} ms, p99 {p99*1000:.0f} ms; "
                          f"agent CPU {cpu:.1f}% of a core ({cpu / n:.3f}% per pod), RSS +{rss:.0f} KiB per pod")
                    l = latency(base, f"{label}-{n}-lat", container)
                    if l:
                        print(f"{label:8} {n:4} pods running, 100 more one at a time (10/s): pod start p50 {l[0]*1000:.0f} ms, p99 {l[1]*1000:.0f} ms")
                delete(base, f"{label}-{n}")
                time.sleep(3)
        ms = oom(base)
        print(f"oom: last line to OOMKilled seen by a watch, median of 5: {ms:.0f} ms" if ms is not None else "oom: no result")
    finally:
        stop(p, data)


main()
