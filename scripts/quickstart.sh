#!/usr/bin/env bash
# Quickstart (seed 001 on one machine): installs everything, starts the embedded control plane
# (`fluid up`), serves an hbase-shaped fixture with a local nginx (WebUFS), applies seed 001's
# Dataset + AlluxioRuntime with the real kubectl, waits until the Dataset is Bound, then copies
# the data through the FUSE mount twice and prints the cold and warm `cp -r` times and the
# kubectl tables. The control plane and nginx are left running; the end says how to stop them.
#
#   bash scripts/quickstart.sh [--no-install]
#
# Environment: FLUID_HOME (default ~/.fluid), QUICKSTART_MB (fixture size, default 256),
# QUICKSTART_DATA (where the fixture nginx serves lives, default /var/tmp/fluid-quickstart-<uid>),
# FLUID_BIN (the fluid executable, default bin/fluid).
#
# The fixture is kept outside the home on purpose: nginx's workers run as `nobody`, and a home of
# mode 0700 (the default for root) would answer every request with 403.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

install=1
for a in "$@"; do
  case "$a" in
    --no-install) install=0 ;;
    *) echo "usage: bash scripts/quickstart.sh [--no-install]" >&2; exit 2 ;;
  esac
done
[ "$install" = 1 ] && bash scripts/install-deps.sh

FLUID="${FLUID_BIN:-$REPO/bin/fluid}"
export FLUID_HOME="${FLUID_HOME:-$HOME/.fluid}"
MB="${QUICKSTART_MB:-256}"
QS="$FLUID_HOME/quickstart"
DATA="${QUICKSTART_DATA:-/var/tmp/fluid-quickstart-$(id -u)}"
WWW="$DATA/www"
mkdir -p "$QS" "$WWW"

echo "==> fluid up (home $FLUID_HOME)"
"$FLUID" up
export KUBECONFIG="$FLUID_HOME/kubeconfig"

if [ ! -f "$WWW/hbase/.complete" ]; then
  echo "==> creating an hbase-shaped fixture of about ${MB} MiB in $WWW/hbase"
  mkdir -p "$WWW/hbase/api_compare"
  head -c $((MB * 1024 * 1024 * 6 / 10)) /dev/urandom > "$WWW/hbase/hbase-2.5.10-bin.tar.gz"
  head -c $((MB * 1024 * 1024 * 3 / 10)) /dev/urandom > "$WWW/hbase/hbase-2.5.10-client-bin.tar.gz"
  head -c $((MB * 1024 * 1024 * 1 / 10)) /dev/urandom > "$WWW/hbase/hbase-2.5.10-src.tar.gz"
  for f in hbase-2.5.10-bin.tar.gz hbase-2.5.10-client-bin.tar.gz hbase-2.5.10-src.tar.gz; do
    sha512sum "$WWW/hbase/$f" | sed "s#  .*/#  #" > "$WWW/hbase/$f.sha512"
  done
  for i in $(seq 1 300); do echo "HBASE-$i fixture change entry"; done > "$WWW/hbase/CHANGES.md"
  echo "# RELEASENOTES (fixture)" > "$WWW/hbase/RELEASENOTES.md"
  echo "<html>api compatibility report (fixture)</html>" > "$WWW/hbase/api_compare/2.5.9_2.5.10RC0.html"
  touch "$WWW/hbase/.complete"
fi
chmod -R a+rX "$DATA"

NGINX_DIR="$QS/nginx"
mkdir -p "$NGINX_DIR/logs"
if [ -f "$NGINX_DIR/nginx.pid" ] && [ -f "$NGINX_DIR/port" ] && kill -0 "$(cat "$NGINX_DIR/nginx.pid")" 2>/dev/null \
   && curl -sf -o /dev/null "http://127.0.0.1:$(cat "$NGINX_DIR/port")/hbase/"; then
  PORT=$(cat "$NGINX_DIR/port")
else
  # Reuse the port of an earlier run when it is free: the running runtime keeps the Dataset's
  # mountPoint it was created with.
  PORT=$(cat "$NGINX_DIR/port" 2>/dev/null || true)
  if [ -z "$PORT" ] || ! node -e 'const s=require("net").createServer();s.once("error",()=>process.exit(1));s.listen(+process.argv[1],"127.0.0.1",()=>s.close())' "$PORT"; then
    PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  fi
  echo "$PORT" > "$NGINX_DIR/port"
  cat > "$NGINX_DIR/nginx.conf" <<EOF
worker_processes 2;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/logs/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  sendfile on;
  client_body_temp_path $NGINX_DIR/body;
  proxy_temp_path $NGINX_DIR/proxy;
  fastcgi_temp_path $NGINX_DIR/fastcgi;
  uwsgi_temp_path $NGINX_DIR/uwsgi;
  scgi_temp_path $NGINX_DIR/scgi;
  default_type application/octet-stream;
  server { listen 127.0.0.1:$PORT; root $WWW; autoindex on; }
}
EOF
  echo "==> nginx serving $WWW on http://127.0.0.1:$PORT/"
  nginx -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR"
fi

echo "==> kubectl apply: Dataset + AlluxioRuntime (seed 001)"
kubectl apply -f - <<EOF
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: hbase
spec:
  mounts:
    - mountPoint: http://127.0.0.1:$PORT/hbase/
      name: hbase
---
apiVersion: data.fluid.io/v1alpha1
kind: AlluxioRuntime
metadata:
  name: hbase
spec:
  replicas: 2
  tieredstore:
    levels:
      - mediumtype: MEM
        path: /dev/shm
        quota: 2Gi
        high: "0.95"
        low: "0.7"
EOF

# A runtime whose Ready condition is False for a reason other than "still starting" (an unreachable or
# refusing UFS, a missing Secret, a spec it cannot run, ...) fails the script with the condition's message.
runtime_failure() {
  kubectl get alluxioruntime hbase -o jsonpath='{range .status.conditions[?(@.type=="Ready")]}{.status}{"\t"}{.reason}{"\t"}{.message}{end}' 2>/dev/null \
    | awk -F'\t' '$1 == "False" && $2 !~ /^(|SettingUp|MasterNotReady|WorkersNotReady)$/ { print $2 ": " $3 }'
}
echo "==> waiting for the Dataset to be Bound"
phase="" failing=0
for _ in $(seq 1 180); do
  phase=$(kubectl get dataset hbase -o jsonpath='{.status.phase}' 2>/dev/null || true)
  pvc=$(kubectl get pvc hbase -o jsonpath='{.status.phase}' 2>/dev/null || true)
  [ "$phase" = Bound ] && [ "$pvc" = Bound ] && break
  failure=$(runtime_failure)
  if [ -n "$failure" ]; then failing=$((failing + 1)); else failing=0; fi
  if [ "$failing" -ge 5 ]; then
    echo "alluxioruntime hbase reports a failure: $failure" >&2
    case "$failure" in *403*) echo "nginx's workers run as nobody: every directory above $WWW must be searchable by others (set QUICKSTART_DATA to another place)" >&2 ;; esac
    echo "see: kubectl describe alluxioruntime hbase" >&2
    exit 1
  fi
  sleep 1
done
if [ "$phase" != Bound ]; then
  echo "dataset hbase is not Bound (phase: ${phase:-none}); see: kubectl describe alluxioruntime hbase" >&2
  exit 1
fi
kubectl get dataset hbase
kubectl get alluxioruntime hbase -o wide
kubectl get pods -o wide
kubectl get pv,pvc

MNT=$("$FLUID" mount-path hbase)
echo "==> waiting for the FUSE mount at $MNT"
# The Dataset can already be Bound from an earlier run while the runtime's pods (re)start.
for _ in $(seq 1 120); do
  [ -d "$MNT/hbase" ] && ls "$MNT/hbase" >/dev/null 2>&1 && break
  failure=$(runtime_failure)
  if [ -n "$failure" ]; then echo "alluxioruntime hbase reports a failure: $failure" >&2; exit 1; fi
  sleep 1
done
if ! ls "$MNT/hbase" >/dev/null 2>&1; then
  echo "the dataset is not visible at $MNT/hbase; see: kubectl get pods; kubectl logs hbase-fuse-..." >&2
  exit 1
fi
echo "==> dataset mounted at $MNT"
DEST="$QS/copy"
elapsed() { local s e; s=$(date +%s.%N); "$@" || return $?; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f", e - s }'; }
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }

rm -rf "$DEST"; drop_caches
COLD=$(elapsed cp -r "$MNT/hbase" "$DEST")
rm -rf "$DEST"; drop_caches
WARM=$(elapsed cp -r "$MNT/hbase" "$DEST")
sleep 6   # one status sync period, so CACHED PERCENTAGE is current
kubectl get dataset hbase

SIZE=$(du -sm "$WWW/hbase" | cut -f1)
echo
echo "cp -r of ${SIZE} MiB through the FUSE mount: cold ${COLD} s (from nginx), warm ${WARM} s (from the cache)"
echo
echo "The control plane and nginx keep running. To stop them:"
echo "  $FLUID down"
echo "  kill \$(cat $NGINX_DIR/nginx.pid)"
