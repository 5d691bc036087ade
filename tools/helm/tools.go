//go:build tools

// Pins helm.sh/helm/v3 in this wrapper module so that `go build helm.sh/helm/v3/cmd/helm` builds the real
// helm CLI from Go modules (no release binary is downloaded).
package tools

import _ "helm.sh/helm/v3/cmd/helm"
