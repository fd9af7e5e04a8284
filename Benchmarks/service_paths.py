#!/usr/bin/env python3
"""The Service data paths (issue #13), against a release `kplane up --process-nodes 1` (as root):

  throughput  wrk -t2 -cC -dS against one nginx pod (kplane's stand-in image) (a) straight at
              the pod's IP, (b) through its Service's ClusterIP (the Service proxy), (c) through
              an Ingress (Host header); the three measured back to back in each round, req/s and
              p50/p99 as wrk reports them; medians over rounds, and each ratio taken per round
              from its arms, then the median
  latency     the same three paths with one connection (wrk -t1 -c1): p50/p99 of one request,
              and what the proxy and the Ingress add to the direct p99
  endpoints   a pod of a Service turning Ready (seen by a watch) until a new connection to the
              ClusterIP reaches it (polled every 1 ms), over N pods created one after the other;
              p50/p99; each pod has a readiness probe, so Ready means it listens

Usage: Benchmarks/service_paths.py [ROUNDS] [SECONDS] [SAMPLES]   (default 5 5 40; build first:
       swift build -c release --product kplane; needs wrk: apt-get install wrk)
"""
import json, re, shutil, socket, statistics, subprocess, sys, threading, time, urllib.request

from kplane_api import call, kplane_binary, ready, start_up, until

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
SECONDS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
SAMPLES = int(sys.argv[3]) if len(sys.argv) > 3 else 40
CONNECTIONS = 64
INGRESS_PORT = 18680
HOST = "web.bench.test"
BIN = kplane_binary()


def start():
    return start_up(BIN, "--process-nodes", "1", "--ingress-port", str(INGRESS_PORT), "--ingress-https-port", "0")


def nginx(labels, probe=True):
    c = {"name": "nginx", "image": "nginx", "ports": [{"containerPort": 80}]}
    if probe:
        c["readinessProbe"] = {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 1}
    return {"metadata": {"labels": labels}, "spec": {"terminationGracePeriodSeconds": 0, "containers": [c]}}


def service(name, app):
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"selector": {"app": app}, "ports": [{"port": 80, "targetPort": 80}]}}


def http_ok(ip, port, host=None, timeout=0.5):
    """Whether a new connection to ip:port gets an HTTP 200 for GET /."""
    try:
        with socket.create_connection((ip, port), timeout=timeout) as s:
            s.sendall(f"GET / HTTP/1.1\r\nHost: {host or ip}\r\nConnection: close\r\n\r\n".encode())
            return s.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def to_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)$", text)
    return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]


def wrk(url, threads, connections, host=None):
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{SECONDS}s", "--latency"] + (["-H", f"Host: {host}"] if host else []) + [url]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    if bad or errors:
        print(f"  {url}: {bad.group(0) if bad else ''} {errors.group(0) if errors else ''}", file=sys.stderr)
    return rps, p50, p99


def load_average():
    return open("/proc/loadavg").read().split()[0]


def endpoint_latency(base, cluster_ip):
    """Seconds from each pod seen Ready to the ClusterIP reaching it, pod after pod."""
    seen = {}
    cond = threading.Condition()
    rv = call(base, "GET", "/api/v1/namespaces/default/pods?labelSelector=app%3Dlat")["metadata"]["resourceVersion"]

    def watch():
        req = urllib.request.Request(f"{base}/api/v1/namespaces/default/pods?watch=true&labelSelector=app%3Dlat&resourceVersion={rv}")
        with urllib.request.urlopen(req, timeout=3600) as r:
            for line in r:
                ev = json.loads(line)
                name = ev["object"]["metadata"]["name"]
                if ev["type"] != "DELETED" and ready(ev["object"]):
                    with cond:
                        seen.setdefault(name, time.perf_counter())
                        cond.notify_all()
    threading.Thread(target=watch, daemon=True).start()
    samples = []
    for i in range(SAMPLES):
        name = f"lat-{i}"
        pod = nginx({"app": "lat"})
        pod.update({"apiVersion": "v1", "kind": "Pod"})
        pod["metadata"]["name"] = name
        call(base, "POST", "/api/v1/namespaces/default/pods", pod)
        deadline = time.perf_counter() + 60
        while not http_ok(cluster_ip, 80, timeout=0.2):
            if time.perf_counter() > deadline:
                raise SystemExit(f"{name} never reached through {cluster_ip}")
            time.sleep(0.001)
        reached = time.perf_counter()
        with cond:
            cond.wait_for(lambda: name in seen, timeout=10)
        samples.append(reached - seen[name])
        call(base, "DELETE", f"/api/v1/namespaces/default/pods/{name}?gracePeriodSeconds=0")
        until(f"{name} gone from the Service", lambda: not http_ok(cluster_ip, 80, timeout=0.2), timeout=30)
    return samples


def median(values):
    return statistics.median(values)


def p99(values):
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * 0.99))]


def main():
    p, data, base = start()
    try:
        call(base, "POST", "/apis/apps/v1/namespaces/default/deployments",
             {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
              "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}}, "template": nginx({"app": "web"})}})
        call(base, "POST", "/api/v1/namespaces/default/services", service("web", "web"))
        call(base, "POST", "/api/v1/namespaces/default/services", service("lat", "lat"))
        call(base, "POST", "/apis/networking.k8s.io/v1/namespaces/default/ingresses",
             {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web"},
              "spec": {"rules": [{"host": HOST, "http": {"paths": [{"path": "/", "pathType": "Prefix",
                                                                    "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}})
        pod = until("the web pod Ready", lambda: next((x for x in call(base, "GET", "/api/v1/namespaces/default/pods?labelSelector=app%3Dweb")["items"] if ready(x)), None))
        pod_ip = pod["status"]["podIP"]
        cluster_ip = call(base, "GET", "/api/v1/namespaces/default/services/web")["spec"]["clusterIP"]
        lat_ip = call(base, "GET", "/api/v1/namespaces/default/services/lat")["spec"]["clusterIP"]
        until("the ClusterIP answering", lambda: http_ok(cluster_ip, 80))
        until("the Ingress answering", lambda: http_ok("127.0.0.1", INGRESS_PORT, HOST))
        paths = [("pod", f"http://{pod_ip}/", None), ("ClusterIP", f"http://{cluster_ip}/", None),
                 ("Ingress", f"http://127.0.0.1:{INGRESS_PORT}/", HOST)]
        size = len(urllib.request.urlopen(f"http://{pod_ip}/").read())
        print(f"page: {size} bytes (the nginx stand-in's index.html); pod {pod_ip}, ClusterIP {cluster_ip}, Ingress 127.0.0.1:{INGRESS_PORT}")
        print(f"load average at start: {load_average()}")
        results = {name: [] for name, _, _ in paths}
        single = {name: [] for name, _, _ in paths}
        for r in range(ROUNDS):
            for name, url, host in paths:
                results[name].append(wrk(url, 2, CONNECTIONS, host))
            for name, url, host in paths:
                single[name].append(wrk(url, 1, 1, host))
            line = "  ".join(f"{n} {results[n][-1][0]:.0f}" for n, _, _ in paths)
            print(f"  round {r + 1}: req/s {line}; load average {load_average()}", file=sys.stderr)
        print(f"wrk -t2 -c{CONNECTIONS} -d{SECONDS}s, median of {ROUNDS} rounds:")
        for name, _, _ in paths:
            rows = results[name]
            print(f"{name:10} {median([x[0] for x in rows]):10.0f} req/s   p50 {median([x[1] for x in rows]):7.2f} ms   p99 {median([x[2] for x in rows]):7.2f} ms")
        for name, goal in [("ClusterIP", 70), ("Ingress", 50)]:
            ratios = [results[name][i][0] / results["pod"][i][0] * 100 for i in range(ROUNDS)]
            print(f"{name} / pod: {median(ratios):.0f}% (rounds {min(ratios):.0f}-{max(ratios):.0f}%; goal >= {goal}%)")
        print(f"wrk -t1 -c1 -d{SECONDS}s (one request at a time), median of {ROUNDS} rounds:")
        for name, _, _ in paths:
            rows = single[name]
            print(f"{name:10} {median([x[0] for x in rows]):10.0f} req/s   p50 {median([x[1] for x in rows]):7.3f} ms   p99 {median([x[2] for x in rows]):7.3f} ms")
        for name in ["ClusterIP", "Ingress"]:
            added = [single[name][i][2] - single["pod"][i][2] for i in range(ROUNDS)]
            print(f"{name} adds to the p99: {median(added):.3f} ms (rounds {min(added):.3f} to {max(added):.3f}; goal <= 1 ms)")
        samples = [s * 1000 for s in endpoint_latency(base, lat_ip)]
        print(f"endpoints: {len(samples)} pods, seen Ready until the ClusterIP reaches them: p50 {median(samples):.1f} ms, "
              f"p99 {p99(samples):.1f} ms, max {max(samples):.1f} ms (goal p99 <= 100 ms)")
        print(f"load average at end: {load_average()}")
    finally:
        p.terminate()
        p.wait()
        shutil.rmtree(data, ignore_errors=True)


main()
