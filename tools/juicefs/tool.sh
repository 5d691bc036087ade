# JuiceFS community client (`juicefs format|mount|info|summary|status|umount|...`), built from its Go module.
# `go install github.com/juicedata/juicefs@v` refuses the module's replace lines, so the build runs inside a
# writable copy of the module's own source tree (the module cache is read-only), where those lines apply.
# cgo is on (SQLite metadata engine). Build tags drop the object stores and metadata engines fluid-ts does
# not use; kept: Redis and SQLite metadata, local-directory (`file`) and S3-compatible object storage.
TOOL_NAMES="juicefs"
TOOL_MODULE=github.com/juicedata/juicefs
JUICEFS_DROP_TAGS="nogateway nowebdav nocos nobos nohdfs noibmcos noobs nooss noqingstore noqiniu nosftp noswift noazure nogs noufile nob2 nonfs nodragonfly nomysql nopg notikv nobadger noetcd"
tool_build() {
  local out="$2" version="$3" dir src
  dir=$(go mod download -json "$TOOL_MODULE@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] && [ -d "$dir" ] || { echo "go-tool: go mod download gave no source dir for $TOOL_MODULE@$version" >&2; return 1; }
  src=$(mktemp -d "${TMPDIR:-/tmp}/juicefs-src.XXXXXX")
  cp -r "$dir/." "$src/"
  chmod -R u+w "$src"
  echo "    (cgo, tags: ${JUICEFS_DROP_TAGS// /,}; a few minutes on 2 cores)"
  (cd "$src" && CGO_ENABLED=1 go build -buildvcs=false -trimpath -tags "${JUICEFS_DROP_TAGS// /,}" \
    -ldflags "-s -w -X github.com/juicedata/juicefs/pkg/version.revision=$version" -o "$out/juicefs" .)
  local rc=$?
  rm -rf "$src"
  return $rc
}
