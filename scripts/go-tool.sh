#!/usr/bin/env bash
# Prints the absolute path of a Go-built tool, building it first from Go modules when it is not cached.
#
#   bash scripts/go-tool.sh NAME      one tool (kube-apiserver, etcd, ...: see tools/*/tool.sh)
#   bash scripts/go-tool.sh --all     builds every tool that is missing and prints each path
#   bash scripts/go-tool.sh --list    prints the tool names
#
# Each tool group is a directory tools/<group>/ with a wrapper Go module and a tool.sh that declares
#   TOOL_NAMES   the binaries the group yields (space-separated)
#   TOOL_MODULE  the module whose version keys the cache (read from the group's go.mod), unless
#   TOOL_VERSION is set by tool.sh itself
#   tool_build SRC OUT VERSION   builds every binary of TOOL_NAMES into OUT (stdout goes to stderr)
# Nothing is downloaded but Go modules (the Go module proxy); no release binary is fetched. Binaries are
# cached outside the repository by version:
#   ${FLUID_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fluid-ts}/<group>/<version>/<name>
# so only the first build on a machine pays for it. Concurrent calls build once (flock). Progress goes to
# stderr; stdout carries only the path.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE_ROOT="${FLUID_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fluid-ts}"

# Loads tools/<group>/tool.sh into a clean set of TOOL_* variables.
load_group() {
  unset TOOL_NAMES TOOL_MODULE TOOL_VERSION
  unset -f tool_build 2>/dev/null || true
  # shellcheck disable=SC1090
  source "$REPO/tools/$1/tool.sh"
  [ -n "${TOOL_NAMES:-}" ] || { echo "go-tool: tools/$1/tool.sh sets no TOOL_NAMES" >&2; exit 1; }
  if [ -z "${TOOL_VERSION:-}" ]; then
    TOOL_VERSION=$(awk -v m="$TOOL_MODULE" '$1 == "require" && $2 == m { print $3 } $1 == m && $2 ~ /^v/ { print $2 }' \
      "$REPO/tools/$1/go.mod" | head -n 1)
  fi
  [ -n "$TOOL_VERSION" ] || { echo "go-tool: no version of ${TOOL_MODULE:-?} in tools/$1/go.mod" >&2; exit 1; }
}

groups() { for f in "$REPO"/tools/*/tool.sh; do basename "$(dirname "$f")"; done; }

all_names() { for g in $(groups); do load_group "$g"; echo "$TOOL_NAMES"; done | tr ' ' '\n' | grep -v '^$'; }

# Prints the path of NAME, building its group when the binary is not cached.
tool_path() {
  local name="$1" group="" g
  for g in $(groups); do
    load_group "$g"
    if [[ " $TOOL_NAMES " == *" $name "* ]]; then group="$g"; break; fi
  done
  if [ -z "$group" ]; then
    echo "go-tool: unknown tool '$name'; expected one of: $(all_names | tr '\n' ' ')" >&2
    exit 2
  fi
  local cache="$CACHE_ROOT/$group/$TOOL_VERSION" bin
  bin="$cache/$name"
  if [ -x "$bin" ]; then echo "$bin"; return 0; fi
  command -v go >/dev/null || { echo "go-tool: the go command is not on PATH (install Go to build $name)" >&2; exit 1; }
  mkdir -p "$cache"
  exec 9>"$cache/.lock"
  flock 9
  if [ ! -x "$bin" ]; then
    local tmp start
    tmp=$(mktemp -d "$cache/.build.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    start=$(date +%s)
    echo "==> go-tool: building $TOOL_NAMES $TOOL_VERSION from Go modules (once per machine)" >&2
    (cd "$REPO/tools/$group" && tool_build "$REPO/tools/$group" "$tmp" "$TOOL_VERSION") >&2
    for f in "$tmp"/*; do mv -f "$f" "$cache/"; done
    rm -rf "$tmp"
    trap - EXIT
    echo "==> go-tool: built $group $TOOL_VERSION in $(( $(date +%s) - start )) s -> $cache" >&2
  fi
  exec 9>&-
  [ -x "$bin" ] || { echo "go-tool: $bin is missing after the build" >&2; exit 1; }
  echo "$bin"
}

case "${1:-}" in
  --list) all_names ;;
  --all) for n in $(all_names); do tool_path "$n"; done ;;
  ""|-h|--help) echo "usage: bash scripts/go-tool.sh NAME|--all|--list   (NAME: $(all_names | tr '\n' ' '))" >&2; exit 2 ;;
  *) tool_path "$1" ;;
esac
