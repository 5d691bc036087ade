#!/usr/bin/env bash
# Installs everything, then runs every check: layer rules and lint, CRD freshness, and all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
echo "==> lint (layer rules + type-aware lint)"
npm run --silent lint
echo "==> tests"
node scripts/run-tests.mjs all
