// The etcd server binary, built from go.etcd.io/etcd/server/v3 (no download of a release binary).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
