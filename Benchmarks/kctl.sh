#!/usr/bin/env bash
# kctl vs kubectl wall time (issue #3), one run, same server: `get pods` with 100 pods, and
# `apply -f manifests/` into a fresh namespace; plus `kctl version --client`. Medians of RUNS.
# Usage: Benchmarks/kctl.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-15}
swift build -c release --product kplane >/dev/null
swift build -c release --product kctl >/dev/null
BIN=$(swift build -c release --show-bin-path)
DATA=$(mktemp -d)
CACHE=$(mktemp -d)
"$BIN/kplane" apiserver --port 18611 --data-dir "$DATA" >/dev/null &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$DATA" "$CACHE"' EXIT
for _ in $(seq 1 50); do curl -sf http://127.0.0.1:18611/readyz >/dev/null && break; sleep 0.1; done
export KUBECONFIG=$DATA/kubeconfig
KUBECTL=/usr/bin/kubectl
for i in $(seq 1 100); do
  curl -sf -XPOST -H 'Content-Type: application/json' \
    -d "{\"metadata\":{\"name\":\"pod-$i\",\"labels\":{\"app\":\"bench\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx:1.25\"}]}}" \
    http://127.0.0.1:18611/api/v1/namespaces/default/pods >/dev/null
done

# Prints the median wall time in milliseconds of running "$@" RUNS times.
median_ms() {
  local times=()
  for _ in $(seq 1 "$RUNS"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}

# Warm both discovery caches first, as a user's would be.
"$BIN/kctl" --cache-dir "$CACHE/kctl" get pods >/dev/null
$KUBECTL --cache-dir "$CACHE/kubectl" get pods >/dev/null

N=0
apply_kctl() { N=$((N + 1)); "$BIN/kctl" --cache-dir "$CACHE/kctl" create namespace "kc-$N" >/dev/null; "$BIN/kctl" --cache-dir "$CACHE/kctl" -n "kc-$N" apply -f manifests/; }
apply_kubectl() { N=$((N + 1)); "$BIN/kctl" --cache-dir "$CACHE/kctl" create namespace "ku-$N" >/dev/null; $KUBECTL --cache-dir "$CACHE/kubectl" -n "ku-$N" apply -f manifests/; }
ns_only() { N=$((N + 1)); "$BIN/kctl" --cache-dir "$CACHE/kctl" create namespace "ns-$N"; }

kc_get=$(median_ms "$BIN/kctl" --cache-dir "$CACHE/kctl" get pods)
ku_get=$(median_ms $KUBECTL --cache-dir "$CACHE/kubectl" get pods)
ns=$(median_ms ns_only)
kc_apply=$(median_ms apply_kctl)
ku_apply=$(median_ms apply_kubectl)
ver=$(median_ms "$BIN/kctl" version --client)
echo "median of $RUNS runs (ms), 100 pods on the server, warm discovery caches:"
echo "get pods:            kctl $kc_get   kubectl $ku_get"
awk -v a="$kc_apply" -v b="$ku_apply" -v n="$ns" -v g1="$kc_get" -v g2="$ku_get" 'BEGIN {
  printf "apply -f manifests/: kctl %.1f   kubectl %.1f   (each minus %.1f ms for creating its namespace)\n", a - n, b - n, n
  printf "ratio kctl/kubectl: get %.2f, apply %.2f (target <= 0.33)\n", g1 / g2, (a - n) / (b - n) }'
echo "kctl version --client: $ver ms (target < 10 ms)"
