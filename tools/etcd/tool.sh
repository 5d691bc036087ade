# etcd 3.5 server, built from go.etcd.io/etcd/server/v3 (Debian's etcd 3.4 is too old for Kubernetes 1.32).
TOOL_NAMES="etcd"
TOOL_MODULE=go.etcd.io/etcd/server/v3
tool_build() {
  (cd "$1" && go build -buildvcs=false -trimpath -ldflags "-s -w" -o "$2/etcd" .)
}
