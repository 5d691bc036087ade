#!/usr/bin/env bash
# Prints the absolute path of a Go-built tool, building it first from Go modules when it is not cached.
#
#   bash scripts/go-tool.sh NAME        NAME: kube-apiserver | kube-controller-manager | kube-scheduler | etcd
#
# Nothing is downloaded but Go modules (the Go module proxy); no release binary is fetched. Each tool's
# version is the one its wrapper module under tools/ requires (tools/kube/go.mod, tools/etcd/go.mod), and
# the binary is cached outside the repository by version:
#   ${FLUID_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fluid-ts}/<group>/<version>/<name>
# so only the first build on a machine pays for it. Concurrent calls build once (flock). Progress goes to
# stderr; stdout carries only the path.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
name="${1:-}"
case "$name" in
  kube-apiserver|kube-controller-manager|kube-scheduler) group=kube; module=k8s.io/kubernetes ;;
  etcd) group=etcd; module=go.etcd.io/etcd/server/v3 ;;
  *) echo "usage: bash scripts/go-tool.sh kube-apiserver|kube-controller-manager|kube-scheduler|etcd" >&2; exit 2 ;;
esac
command -v go >/dev/null || { echo "go-tool: the go command is not on PATH (install Go to build $name)" >&2; exit 1; }

src="$REPO/tools/$group"
version=$(awk -v m="$module" '$1 == "require" && $2 == m { print $3 } $1 == m && $2 ~ /^v/ { print $2 }' "$src/go.mod" | head -n 1)
[ -n "$version" ] || { echo "go-tool: no version of $module in $src/go.mod" >&2; exit 1; }
cache="${FLUID_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fluid-ts}/$group/$version"
bin="$cache/$name"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ ! -x "$bin" ]; then
  tmp=$(mktemp -d "$cache/.build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  start=$(date +%s)
  case "$group" in
    kube)
      minor=$(echo "$version" | cut -d. -f2)
      ld="-s -w -X k8s.io/component-base/version.gitVersion=$version -X k8s.io/component-base/version.gitMajor=1"
      ld="$ld -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
      ld="$ld -X k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z"
      echo "==> go-tool: building kube-apiserver, kube-controller-manager, kube-scheduler $version from Go modules (once per machine; several minutes on 2 cores)" >&2
      (cd "$src" && go build -buildvcs=false -trimpath -ldflags "$ld" -o "$tmp/" \
        k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler) >&2
      ;;
    etcd)
      echo "==> go-tool: building etcd $version from Go modules (once per machine)" >&2
      (cd "$src" && go build -buildvcs=false -trimpath -ldflags "-s -w" -o "$tmp/etcd" .) >&2
      ;;
  esac
  for f in "$tmp"/*; do mv -f "$f" "$cache/"; done
  echo "==> go-tool: built $group $version in $(( $(date +%s) - start )) s -> $cache" >&2
fi
[ -x "$bin" ] || { echo "go-tool: $bin is missing after the build" >&2; exit 1; }
echo "$bin"
