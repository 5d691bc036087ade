#!/usr/bin/env bash
# Installs everything fluid-ts and its tests need on a fresh Debian machine (root, Node 20):
# Debian packages (FUSE, libfuse3-dev + a C toolchain for the native mount binding, nginx for WebUFS tests, s3fs/rclone/httpdirfs for ThinRuntime, openssl for
# the API server's self-signed certificate, curl for the benchmarks' single-stream baseline, python3-kubernetes for the
# API server's client-compatibility suite),
# then the npm packages, then the TypeScript build.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  need=()
  for p in fuse3 libfuse3-dev pkg-config make g++ python3 libfuse2 nginx-light s3fs rclone httpdirfs jq iproute2 procps openssl curl util-linux python3-kubernetes redis-server; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
  done
  if [ ${#need[@]} -gt 0 ]; then
    echo "==> apt-get install ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi
echo "==> npm ci"
npm ci --no-audit --no-fund --loglevel=error
echo "==> build"
npm run --silent build
