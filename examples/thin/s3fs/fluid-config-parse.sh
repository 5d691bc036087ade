#!/bin/sh
# ThinRuntime parse script for S3/MinIO with s3fs (seed 004's walkthrough, s3fs in place of goofys).
# Reads Fluid's FUSE config (/etc/fluid/config/config.json, or the older /etc/fluid/config.json),
# reads the access key and secret from the files whose PATHS the config carries, writes an s3fs
# passwd file (mode 0600) in the working directory and execs s3fs in the foreground.
# Dataset mount:  mountPoint: minio://BUCKET[/PREFIX] (or s3://)
#                 options.minio-url: http://HOST:PORT
#                 encryptOptions: minio-access-key, minio-access-secret
# ThinRuntime spec.fuse.options become extra "-o key[=value]" s3fs options.
# Profile: fileSystemType: fuse.s3fs; command: [sh, /path/to/fluid-config-parse.sh]
set -eu
config="${FLUID_CONFIG_PATH:-/etc/fluid/config/config.json}"
[ -r "$config" ] || config=/etc/fluid/config.json

target=$(jq -r '.targetPath' "$config")
mount_point=$(jq -r '.mounts[0].mountPoint' "$config")
url=$(jq -r '.mounts[0].options["minio-url"] // .mounts[0].options["url"] // empty' "$config")
key_file=$(jq -r '.mounts[0].options["minio-access-key"] // empty' "$config")
secret_file=$(jq -r '.mounts[0].options["minio-access-secret"] // empty' "$config")
[ -n "$url" ] || { echo "fluid-config-parse: mounts[0].options.minio-url is required" >&2; exit 2; }
[ -n "$key_file" ] && [ -n "$secret_file" ] || { echo "fluid-config-parse: encryptOptions minio-access-key and minio-access-secret are required" >&2; exit 2; }

bucket_path=${mount_point#minio://}
bucket_path=${bucket_path#s3://}
bucket=${bucket_path%%/*}
prefix=${bucket_path#"$bucket"}
[ -z "$prefix" ] || bucket="$bucket:$prefix"

umask 077
passwd="$PWD/passwd-s3fs"
printf '%s:%s\n' "$(cat "$key_file")" "$(cat "$secret_file")" > "$passwd"
mkdir -p "$target"

# One "-o" per runtime option: key=value, or key alone when the value is empty.
set -- -o "url=$url" -o use_path_request_style -o "passwd_file=$passwd" -o ro
for opt in $(jq -r '(.runtimeOptions // {}) | to_entries[] | if .value == "" then .key else "\(.key)=\(.value)" end' "$config"); do
  set -- "$@" -o "$opt"
done
exec s3fs "$bucket" "$target" -f "$@"
