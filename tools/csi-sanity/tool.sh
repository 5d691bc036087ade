# csi-sanity, the CSI peer test suite (github.com/kubernetes-csi/csi-test/v5/cmd/csi-sanity), run against `fluid csi`.
TOOL_NAMES="csi-sanity"
TOOL_MODULE=github.com/kubernetes-csi/csi-test/v5
tool_build() {
  (cd "$1" && go build -buildvcs=false -trimpath -ldflags "-s -w" -o "$2/csi-sanity" github.com/kubernetes-csi/csi-test/v5/cmd/csi-sanity)
}
