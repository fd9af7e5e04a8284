#!/usr/bin/env bash
# API server benchmark (issues #2 and #10). Prints, from one run on this machine:
#   GET/s, LIST/s and durable creates/s with 64 concurrent clients (wrk -t2 -c64), each beside the
#   same HTTP stack's trivial GET/POST measured back to back in each run (medians of RUNS runs:
#   rates, p50/p99, and the ratio of each run's pair);
#   the time for one write to reach 1,000 and 10,000 open watches; what never-reading watches cost
#   the server during 20,000 writes; server memory holding 100,000 ConfigMaps.
# Usage: Benchmarks/apiserver.sh [RUNS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
SECS=${2:-5}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }
swift build -c release --product kplane >/dev/null
swift build -c release --product TrivialServer >/dev/null
swift build -c release --product WatchFanout >/dev/null
BIN=$(swift build -c release --show-bin-path)
KPORT=18601
TPORT=18602
CPORT=18603
DIRS=()
PIDS=()
# Starts a kplane API server with a fresh data directory on port $1; sets LAST_PID.
start_kplane() {
  local dir
  dir=$(mktemp -d)
  DIRS+=("$dir")
  LAST_LOG="$dir/server.log"
  "$BIN/kplane" apiserver --port "$1" --data-dir "$dir" >/dev/null 2>"$LAST_LOG" &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return; sleep 0.1; done
}
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "${DIRS[@]}"; }
trap cleanup EXIT
"$BIN/TrivialServer" $TPORT &
PIDS+=($!)
start_kplane $KPORT
K=http://127.0.0.1:$KPORT
T=http://127.0.0.1:$TPORT
C=http://127.0.0.1:$CPORT

curl -sf -XPOST -H 'Content-Type: application/yaml' --data-binary @manifests/deployment.yaml \
  "$K/apis/apps/v1/namespaces/default/deployments" >/dev/null
curl -sf -XPOST -H 'Content-Type: application/json' -d '{"metadata":{"name":"bench"}}' "$K/api/v1/namespaces" >/dev/null
for i in $(seq 1 100); do
  curl -sf -XPOST -H 'Content-Type: application/json' -d "{\"metadata\":{\"name\":\"cm-$i\"},\"data\":{\"k\":\"v$i\"}}" \
    "$K/api/v1/namespaces/bench/configmaps" >/dev/null
done
echo "GET size: $(curl -s $K/apis/apps/v1/namespaces/default/deployments/myapp | wc -c) bytes; LIST size (100 ConfigMaps): $(curl -s $K/api/v1/namespaces/bench/configmaps | wc -c) bytes"

POST_LUA=$(mktemp --suffix=.lua)
cat > "$POST_LUA" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"load-","labels":{"app":"bench"}},"data":{"key":"value","other":"something a little longer than a word"}}'
LUA

# Prints "rps p50 p99" for one wrk run.
run_wrk() {
  wrk -t2 -c64 -d"${SECS}s" --latency "$@" | awk '
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
    /Non-2xx/ {bad=$5}
    END {print rps, p50, p99, (bad==""?0:bad)}'
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A RPS P50 P99
for name in trivial_get get list trivial_post create; do : > "/tmp/bench_$name"; done
for r in $(seq 1 "$RUNS"); do
  run_wrk "$T/trivial" >> /tmp/bench_trivial_get
  run_wrk "$K/apis/apps/v1/namespaces/default/deployments/myapp" >> /tmp/bench_get
  run_wrk "$K/api/v1/namespaces/bench/configmaps" >> /tmp/bench_list
  # Creates go to a fresh server each run, so every run starts from the same (empty) store.
  start_kplane $CPORT
  run_wrk -s "$POST_LUA" "$T/trivial" >> /tmp/bench_trivial_post
  run_wrk -s "$POST_LUA" "$C/api/v1/namespaces/default/configmaps" >> /tmp/bench_create
  echo "  run $r: $(curl -s "$C/api/v1/namespaces/default/configmaps" | grep -o '"generateName"' | wc -l) ConfigMaps created and stored" >&2
  kill "$LAST_PID"; wait "$LAST_PID" 2>/dev/null || true
done
report() {
  local rps p50 p99
  rps=$(cut -d' ' -f1 "/tmp/bench_$1" | median)
  p50=$(cut -d' ' -f2 "/tmp/bench_$1" | sort -V | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  p99=$(cut -d' ' -f3 "/tmp/bench_$1" | sort -V | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-28s %10s req/s   p50 %8s   p99 %8s\n' "$2" "$rps" "$p50" "$p99"
  echo "$rps" > "/tmp/bench_$1.median"
}
echo "wrk -t2 -c64 -d${SECS}s, median of $RUNS runs:"
report trivial_get "trivial GET"
report get "GET deployment"
report list "LIST 100 configmaps"
report trivial_post "trivial POST"
report create "create configmap (durable)"
# Each ratio pairs the two arms of the same run (measured back to back), then takes the median
# over runs, so a slow spell of this shared machine lowers both arms of a pair, not one ratio.
ratio() {
  paste -d' ' <(cut -d' ' -f1 "/tmp/bench_$1") <(cut -d' ' -f1 "/tmp/bench_$2") |
    awk '{printf "%.3f\n", $1/$2}' | median | awk '{printf "%.0f", 100*$1}'
}
range() {
  paste -d' ' <(cut -d' ' -f1 "/tmp/bench_$1") <(cut -d' ' -f1 "/tmp/bench_$2") |
    awk '{r=100*$1/$2; if (NR==1||r<lo) lo=r; if (NR==1||r>hi) hi=r} END {printf "%.0f-%.0f%%", lo, hi}'
}
echo "GET / trivial GET: $(ratio get trivial_get)% (runs $(range get trivial_get); target >= 90%)"
echo "LIST / trivial GET: $(ratio list trivial_get)% (runs $(range list trivial_get))"
echo "creates / trivial POST: $(ratio create trivial_post)% (runs $(range create trivial_post); target >= 30%, aim >= 45%)"
# Fan-out: each on a fresh server; 10,000 watches need the open-file limit raised on both sides.
ulimit -n 20000 2>/dev/null || true
start_kplane $CPORT
"$BIN/WatchFanout" "$C" 1000 200
kill "$LAST_PID"; wait "$LAST_PID" 2>/dev/null || true
start_kplane $CPORT
"$BIN/WatchFanout" "$C" 10000 50
kill "$LAST_PID"; wait "$LAST_PID" 2>/dev/null || true
# A control with no stuck watch first: what the same writes alone do to the server's RSS.
for stuck in 0 1; do
  start_kplane $CPORT
  python3 Benchmarks/stuck_watcher.py "$C" "$LAST_PID" 20000 $stuck
  echo "  the server closed $(grep -c 'closed a watch whose reader fell behind' "$LAST_LOG" || true) watch(es) for falling behind"
  kill "$LAST_PID"; wait "$LAST_PID" 2>/dev/null || true
done
start_kplane $CPORT
python3 Benchmarks/fill.py "$C" "$LAST_PID" 100000
