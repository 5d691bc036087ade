# The Helm 3 CLI, built from helm.sh/helm/v3/cmd/helm (no release binary is downloaded).
TOOL_NAMES="helm"
TOOL_MODULE=helm.sh/helm/v3
tool_build() {
  local src="$1" out="$2" version="$3" kminor ld
  # Helm's own Makefile stamps its version and the Kubernetes version of its client-go (the default
  # .Capabilities.KubeVersion for `helm template` / `helm lint` and the deprecation rules' reference).
  kminor=$(cd "$src" && go list -f '{{.Version}}' -m k8s.io/client-go | cut -d. -f2)
  ld="-s -w -X helm.sh/helm/v3/internal/version.version=$version -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
  ld="$ld -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$kminor"
  ld="$ld -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$kminor"
  (cd "$src" && go build -buildvcs=false -trimpath -ldflags "$ld" -o "$out/helm" helm.sh/helm/v3/cmd/helm)
}
