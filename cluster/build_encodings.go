package cluster

import (
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/sim"
)

// encodingLimitSeeds: in one seed in this many every node draws its own
// small encoding thresholds (hash-max-listpack-entries and friends), so
// that collections cross them and, above all, an RDB written under one
// node's limits is loaded under another's (a replica's full sync, a
// restart after CONFIG REWRITE): rdbLoadObject then converts, which the
// load_encoding rule judges (checker/load_encoding.go).
const encodingLimitSeeds = 4

// drawEncodingLimits sets cfg's encoding thresholds from r: each one of a
// few small values or the default.
func drawEncodingLimits(r *sim.Rand, cfg *node.Config) {
	pick := func(vals ...int64) int64 { return vals[r.IntN(len(vals))] }
	cfg.HashMaxListpackEntries = pick(1, 2, 4, 8, cfg.HashMaxListpackEntries)
	cfg.HashMaxListpackValue = pick(4, 16, cfg.HashMaxListpackValue)
	cfg.ZsetMaxListpackEntries = pick(1, 2, 4, 8, cfg.ZsetMaxListpackEntries)
	cfg.ZsetMaxListpackValue = pick(4, 16, cfg.ZsetMaxListpackValue)
	cfg.SetMaxIntsetEntries = pick(1, 2, 4, 8, cfg.SetMaxIntsetEntries)
}
