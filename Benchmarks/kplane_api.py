"""What the benchmark scripts share: the release kplane binary and plain JSON calls to its API."""
import json, os, re, subprocess, tempfile, threading, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def kplane_binary():
    """$KPLANE, else the release build's kplane."""
    return os.environ.get("KPLANE") or subprocess.check_output(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, text=True).strip() + "/kplane"


def call(base, method, path, body=None):
    """One API request with a JSON body; the decoded JSON answer."""
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def start_up(binary, *flags):
    """`kplane up --port 0` on a fresh data dir with `flags`: (process, data dir, API base URL)."""
    data = tempfile.mkdtemp()
    p = subprocess.Popen([binary, "up", "--port", "0", "--data-dir", data, *flags],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = p.stdout.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
    if not m:
        p.terminate()
        raise SystemExit(f"kplane up did not print its address: {line!r}")
    threading.Thread(target=lambda: p.stdout.read(), daemon=True).start()
    return p, data, f"http://127.0.0.1:{m.group(1)}"


def ready(pod):
    """Whether a Pod object's Ready condition is True."""
    return any(c["type"] == "Ready" and c["status"] == "True" for c in pod.get("status", {}).get("conditions", []))


def until(what, check, timeout=60):
    """Polls `check` every 50 ms until it returns something true, which is returned."""
    end = time.time() + timeout
    while time.time() < end:
        v = check()
        if v:
            return v
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {what}")
