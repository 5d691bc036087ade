# Kubernetes control plane binaries, built from k8s.io/kubernetes with every staging module pinned by
# replace lines in go.mod (go install k8s.io/kubernetes/...@version does not work).
TOOL_NAMES="kube-apiserver kube-controller-manager kube-scheduler"
TOOL_MODULE=k8s.io/kubernetes
tool_build() {
  local src="$1" out="$2" version="$3" minor ld
  minor=$(echo "$version" | cut -d. -f2)
  # The version stamps that `kubectl version` and /version report.
  ld="-s -w -X k8s.io/component-base/version.gitVersion=$version -X k8s.io/component-base/version.gitMajor=1"
  ld="$ld -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
  ld="$ld -X k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z"
  echo "    (several minutes on 2 cores)"
  (cd "$src" && go build -buildvcs=false -trimpath -ldflags "$ld" -o "$out/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler)
}
