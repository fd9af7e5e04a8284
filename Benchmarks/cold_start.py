#!/usr/bin/env python3
"""Cold start from zero: the seed's app (manifests/) scaled to zero by kplane after 5 s without
requests (`kplane.dev/scale-to-zero-after`), then woken by one request. Against a release
`kplane up --process-nodes 1` (as root, so that the ClusterIP is routed on the host):

  1. apply manifests/ (kubectl, else the release build's kctl), set the Deployment `myapp` to
     1 replica, wait for a Ready pod, and time a warm GET / through the Ingress and the ClusterIP
     (the baseline, and whether the ClusterIP is reachable from here at all)
  2. annotate `myapp` with kplane.dev/scale-to-zero-after=5s
  3. each round: wait until kplane has scaled it to zero (spec.replicas == 0 and no pod of it
     left), then send one GET / and time it from the send until the whole answer has arrived
     (expected: 200 from a pod started for it); ROUNDS through the Ingress (127.0.0.1:18681,
     Host: myapp.example.com), then ROUNDS through the Service's ClusterIP (port 80), if
     reachable; each round's time, the median and the maximum

The activator sends the held request to the new pod as soon as it answers its readiness probe
(probed every 25 ms, as Knative's activator does; the kubelet's initialDelaySeconds still holds
for the pod's Ready condition), so what remains is kplane's own work and the app's start. The
app's warm-up (WARMUP_MS: /ready answers 503 until it passed) is the second argument: 0 (the
default here: ready as soon as it listens, as a serverless app should be) or `seed` (the seed's
3 s). The HPA of manifests/ is deleted, so that only scale to zero moves the Deployment.

Usage: Benchmarks/cold_start.py [ROUNDS] [WARMUP_MS|seed]   (default 5 0; build first:
       swift build -c release --product kplane)
"""
import http.client, json, os, shutil, socket, statistics, subprocess, sys, time, urllib.request

from kplane_api import ROOT, call, kplane_binary, ready, start_up, until

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
WARMUP = sys.argv[2] if len(sys.argv) > 2 else "0"
INGRESS_PORT = 18681
HOST = "myapp.example.com"
IDLE = "5s"
ANNOTATION = "kplane.dev/scale-to-zero-after"
DEPLOYMENT = "/apis/apps/v1/namespaces/default/deployments/myapp"
PODS = "/api/v1/namespaces/default/pods?labelSelector=app%3Dmyapp"
BIN = kplane_binary()


def start():
    return start_up(BIN, "--process-nodes", "1", "--ingress-port", str(INGRESS_PORT), "--ingress-https-port", "0")


def apply_manifests(data):
    """kubectl apply -f manifests/ (the top folder only, as kubectl reads it without -R), the
    HPA deleted, and the app's warm-up set."""
    tool = shutil.which("kubectl") or os.path.join(os.path.dirname(BIN), "kctl")
    kubectl = [tool, "--kubeconfig", os.path.join(data, "kubeconfig")]
    subprocess.run(kubectl + ["apply", "-f", os.path.join(ROOT, "manifests")], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(kubectl + ["delete", "hpa", "myapp-hpa"], check=True, stdout=subprocess.DEVNULL)
    if WARMUP != "seed":
        subprocess.run(kubectl + ["set", "env", "deployment/myapp", f"WARMUP_MS={WARMUP}"], check=True, stdout=subprocess.DEVNULL)


def merge_patch(base, path, body):
    req = urllib.request.Request(base + path, method="PATCH", data=json.dumps(body).encode())
    req.add_header("Content-Type", "application/merge-patch+json")
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def scaled_to_zero(base):
    return call(base, "GET", DEPLOYMENT)["spec"].get("replicas", 1) == 0 and not call(base, "GET", PODS)["items"]


def get(ip, port, host, timeout=120):
    """One GET / on a new connection: (seconds until the whole answer arrived, status, body)."""
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection(ip, port, timeout=timeout)
    try:
        conn.request("GET", "/", headers={"Host": host, "Connection": "close"})
        r = conn.getresponse()
        body = r.read()
        return time.perf_counter() - t0, r.status, body
    except (OSError, http.client.HTTPException) as e:
        return time.perf_counter() - t0, None, str(e).encode()
    finally:
        conn.close()


def reachable(ip, port, timeout=1):
    try:
        with socket.create_connection((ip, port), timeout=timeout):
            return True
    except OSError:
        return False


def rounds(base, name, ip, port, host):
    times, failures = [], 0
    for r in range(ROUNDS):
        t0 = time.perf_counter()
        until(f"myapp scaled to zero (round {r + 1})", lambda: scaled_to_zero(base), timeout=180)
        idle = time.perf_counter() - t0
        seconds, status, body = get(ip, port, host)
        try:
            pod = json.loads(body).get("pod", "?")
        except ValueError:
            pod = body[:80]
        print(f"  {name} round {r + 1}: {seconds * 1000:8.0f} ms  status {status}  pod {pod}  (waited {idle:.1f} s for zero)", flush=True)
        if status == 200:
            times.append(seconds)
        else:
            failures += 1
    return times, failures


def main():
    p, data, base = start()
    try:
        apply_manifests(data)
        merge_patch(base, DEPLOYMENT, {"spec": {"replicas": 1}})
        until("a Ready myapp pod", lambda: any(ready(x) for x in call(base, "GET", PODS)["items"]), timeout=120)
        cluster_ip = call(base, "GET", "/api/v1/namespaces/default/services/myapp")["spec"]["clusterIP"]
        until("the Ingress answering", lambda: get("127.0.0.1", INGRESS_PORT, HOST, timeout=2)[1] == 200, timeout=30)
        warm = get("127.0.0.1", INGRESS_PORT, HOST)
        print(f"warm GET / through the Ingress: {warm[0] * 1000:.1f} ms, status {warm[1]}")
        paths = [("Ingress", "127.0.0.1", INGRESS_PORT, HOST)]
        if reachable(cluster_ip, 80):
            warm = get(cluster_ip, 80, cluster_ip)
            print(f"warm GET / through the ClusterIP {cluster_ip}: {warm[0] * 1000:.1f} ms, status {warm[1]}")
            paths.append(("ClusterIP", cluster_ip, 80, cluster_ip))
        else:
            print(f"the ClusterIP {cluster_ip} is not reachable from this host (not root?): its rounds are skipped")
        merge_patch(base, DEPLOYMENT, {"metadata": {"annotations": {ANNOTATION: IDLE}}})
        warmup = "the seed's 3 s" if WARMUP == "seed" else f"WARMUP_MS={WARMUP}"
        print(f"myapp ({warmup}) annotated {ANNOTATION}={IDLE}; {ROUNDS} rounds per path, each from zero:")
        results = {}
        for name, ip, port, host in paths:
            results[name] = rounds(base, name, ip, port, host)
        for name, (times, failures) in results.items():
            ms = [t * 1000 for t in times]
            summary = f"median {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms" if ms else "no 200 answers"
            print(f"cold start through the {name}: {summary} ({len(ms)} of {ROUNDS} rounds answered 200, {failures} failed)")
    finally:
        p.terminate()
        p.wait()
        shutil.rmtree(data, ignore_errors=True)


main()
