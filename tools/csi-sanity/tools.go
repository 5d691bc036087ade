//go:build tools

// Pins csi-sanity, the CSI peer test suite, for `scripts/go-tool.sh csi-sanity`.
package tools

import _ "github.com/kubernetes-csi/csi-test/v5/cmd/csi-sanity"
