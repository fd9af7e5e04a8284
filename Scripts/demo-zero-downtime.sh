#!/usr/bin/env bash
# Zero downtime, shown: requests flow through the Ingress while the seed's Deployment rolls
# out to myapp:2.0.0 and back (`kubectl set image`, then `kubectl rollout undo`). Each second it
# prints how many requests were answered and failed and which versions answered; the last line
# is `requests=N failed=M`.
#
# Needs a running `kplane up` (its process-backed node runs the pods) and kubectl and curl on
# PATH (KUBECONFIG defaults to ~/.kplane/kubeconfig). Two clients send `GET /` with the Host
# header myapp.example.com: a curl loop (a new connection for each request) and one curl
# keeping its connection alive.
#
#   Scripts/demo-zero-downtime.sh            the seed's Deployment: readiness probe, 25% of 3
#                                            pods rounds to maxUnavailable 0 -> failed=0
#   Scripts/demo-zero-downtime.sh --unsafe   maxUnavailable 100% and no readiness probe (PM2's
#                                            restart, not reload) -> failed>0; the seed's
#                                            settings are put back at the end
#
# INGRESS (default http://127.0.0.1, or :8080 when nothing answers on 80) says where the
# Ingress controller listens.
set -euo pipefail

unsafe=false
case "${1:-}" in
  --unsafe) unsafe=true ;;
  "") ;;
  *) echo "usage: $0 [--unsafe]" >&2; exit 2 ;;
esac

export KUBECONFIG="${KUBECONFIG:-$HOME/.kplane/kubeconfig}"
host=myapp.example.com
root="$(cd "$(dirname "$0")/.." && pwd)"
manifests="$root/manifests"
work="$(mktemp -d)"
log="$work/requests"      # one line a request: <epoch second> <HTTP status, 000 when none> <version or ->
stop="$work/stop"
touch "$log"

ingress="${INGRESS:-}"
if [[ -z $ingress ]]; then
  ingress=http://127.0.0.1
  curl -s -o /dev/null -m 2 "$ingress/" || ingress=http://127.0.0.1:8080
fi

say() { printf '==> %s\n' "$*"; }
run() { say "$*"; "$@"; }

# Reads curl's output (each answer's body, then "@@ <status>") and writes one line a request.
tag() {
  local body="" line v
  while IFS= read -r line; do
    if [[ $line == "@@ "* ]]; then
      v=-
      [[ $body =~ \"version\":\"([^\"]+)\" ]] && v=${BASH_REMATCH[1]}
      printf '%(%s)T %s %s\n' -1 "${line#@@ }" "$v"
      body=""
    else
      body+=$line
    fi
  done
}

# A user's curl loop: a new connection every time.
new_connections() {
  while [[ ! -e $stop ]]; do
    curl -s -m 5 -w '\n@@ %{http_code}\n' -H "Host: $host" "$ingress/" || true
  done | tag >>"$log"
}

# One curl, one connection kept alive for 200 requests at 100 a second, again and again.
keep_alive() {
  local urls=()
  for _ in $(seq 200); do urls+=("$ingress/"); done
  while [[ ! -e $stop ]]; do
    curl -s -m 5 --rate 100/s -w '\n@@ %{http_code}\n' -H "Host: $host" "${urls[@]}" || true
  done | tag >>"$log"
}

# Every second, the second before last: requests OK and failed, the versions that answered.
report() {
  local start now s
  start=$(printf '%(%s)T' -1)
  s=$start
  while [[ ! -e $stop ]]; do
    sleep 1
    now=$(printf '%(%s)T' -1)
    while ((s < now - 1)); do
      awk -v s="$s" -v t="$((s - start))" '
        $1 == s { if ($2 == "200" && $3 != "-") { ok++; v[$3]++ } else { bad++; c[$2]++ } }
        END {
          line = sprintf("t=%3ds  ok=%4d  failed=%4d  versions:", t, ok, bad)
          for (k in v) line = line " " k "=" v[k]
          if (bad) { line = line "  failures:"; for (k in c) line = line " HTTP " k "=" c[k] }
          print line
        }' "$log"
      s=$((s + 1))
    done
  done
}

pids=()
cleanup() {
  touch "$stop"
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if ! kubectl get deployment myapp >/dev/null 2>&1; then
  run kubectl apply -f "$manifests/config.yaml" -f "$manifests/deployment.yaml" -f "$manifests/service-ingress.yaml"
fi
run kubectl rollout status deployment/myapp --timeout=180s
if $unsafe; then
  run kubectl patch deployment myapp -p \
    '{"spec":{"strategy":{"rollingUpdate":{"maxUnavailable":"100%"}},"template":{"spec":{"containers":[{"name":"myapp","readinessProbe":null}]}}}}'
  run kubectl rollout status deployment/myapp --timeout=180s
fi
say "sending requests through the Ingress ($ingress, Host: $host)"
new_connections & pids+=($!)
keep_alive & pids+=($!)
report & pids+=($!)

sleep 6
run kubectl set image deployment/myapp myapp=myapp:2.0.0
run kubectl rollout status deployment/myapp --timeout=180s
sleep 6
run kubectl rollout undo deployment/myapp
run kubectl rollout status deployment/myapp --timeout=180s
sleep 6

touch "$stop"
for p in "${pids[@]}"; do wait "$p" || true; done
pids=()
if $unsafe; then
  say "putting the seed's settings back (maxUnavailable 25%, the readiness probe)"
  kubectl patch deployment myapp -p '{"spec":{"strategy":{"rollingUpdate":{"maxUnavailable":"25%"}}}}' >/dev/null
  kubectl apply -f "$manifests/deployment.yaml" >/dev/null
fi
awk '{ n++; if (!($2 == "200" && $3 != "-")) bad++ } END { printf "requests=%d failed=%d\n", n, bad }' "$log"
