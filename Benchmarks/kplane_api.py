"""What the benchmark scripts share: the release kplane binary and plain JSON calls to its API."""
import json, os, subprocess, urllib.request

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
