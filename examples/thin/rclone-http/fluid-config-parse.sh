#!/bin/sh
# ThinRuntime parse script for an HTTP directory (nginx autoindex, any static file server) with
# `rclone mount :http:`. Reads Fluid's FUSE config and execs rclone in the foreground.
# Dataset mount:  mountPoint: http(s)://HOST:PORT/DIR/
# ThinRuntime spec.fuse.options become extra "--key=value" rclone flags (e.g. vfs-cache-max-size).
# Profile: fileSystemType: fuse.rclone; command: [sh, /path/to/fluid-config-parse.sh]
set -eu
config="${FLUID_CONFIG_PATH:-/etc/fluid/config/config.json}"
[ -r "$config" ] || config=/etc/fluid/config.json

target=$(jq -r '.targetPath' "$config")
url=$(jq -r '.mounts[0].mountPoint' "$config")
case "$url" in
  http://*|https://*) ;;
  *) echo "fluid-config-parse: mounts[0].mountPoint must be an http(s):// URL, got $url" >&2; exit 2 ;;
esac
mkdir -p "$target"

set -- --http-url "$url" --read-only --vfs-cache-mode full --cache-dir "$PWD/rclone-cache" --config /dev/null
for opt in $(jq -r '(.runtimeOptions // {}) | to_entries[] | if .value == "" then "--\(.key)" else "--\(.key)=\(.value)" end' "$config"); do
  set -- "$@" "$opt"
done
exec rclone mount :http: "$target" "$@"
