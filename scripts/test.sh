#!/usr/bin/env bash
# Installs everything, then runs every check: layer rules and lint, CRD freshness, and all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
echo "==> Go-built tools for the real control plane (cached by version; the first build on a machine takes minutes)"
bash scripts/go-tool.sh --all >/dev/null
echo "==> lint (layer rules + type-aware lint)"
npm run --silent lint
echo "==> tests"
node scripts/run-tests.mjs all
