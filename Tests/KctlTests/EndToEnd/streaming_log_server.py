"""A stand-in for a kubelet-backed API server that streams one pod's log, to check that
`kctl logs -f` prints lines as they arrive. It serves GET .../pods/p and .../pods/p/log; the log
stream sends its first line, then holds until /release is requested, then sends the last."""
import http.server
import json
import sys
import threading
from urllib.parse import urlparse

release = threading.Event()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_body(self, code, body, ctype):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/release":
            release.set()
            return self.send_body(200, b"ok", "text/plain")
        if url.path == "/api/v1/namespaces/default/pods/p":
            pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"},
                   "spec": {"containers": [{"name": "app", "image": "x"}]}}
            return self.send_body(200, json.dumps(pod).encode(), "application/json")
        if url.path == "/api/v1/namespaces/default/pods/p/log":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.chunk(b"query " + url.query.encode() + b"\nfirst ")
            release.wait(30)
            self.chunk(b"half\nlast line\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        self.send_body(404, json.dumps({"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                        "reason": "NotFound", "code": 404, "message": "not found"}).encode(), "application/json")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
