// Pins the JuiceFS client's version for scripts/go-tool.sh (tools/juicefs/tool.sh builds it in the
// module's own source tree, where its replace lines apply; this module is only the version key).
module fluid-ts/tools/juicefs

go 1.23

require github.com/juicedata/juicefs v1.3.1
