package checker

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"pgregory.net/rapid"
)

// naiveNumbering replays every event before seq, in recorder order, each
// time it is asked: the definition syncNumbering.at must agree with.
func naiveNumbering(syncs []FullSync, proms []Promotion, restarts []Restart, node string, seq int) bool {
	bySYNC := map[string]bool{}
	for s := 0; s < seq; s++ {
		for i := range syncs {
			if syncs[i].Seq == s {
				bySYNC[syncs[i].Node] = syncs[i].Offset < 0 || bySYNC[syncs[i].Master]
			}
		}
		for _, p := range proms {
			if p.Seq == s {
				bySYNC[p.Node] = false
			}
		}
		for _, r := range restarts {
			if r.Seq == s {
				bySYNC[r.Node] = false
			}
		}
	}
	return bySYNC[node]
}

// syncNumbering answers at any point as a replay from the start would.
func TestSyncNumberingMatchesAReplay(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nodes := []string{"n1", "n2", "n3", "n4"}
		node := rapid.SampledFrom(nodes)
		var syncs []FullSync
		var proms []Promotion
		var restarts []Restart
		n := rapid.IntRange(0, 30).Draw(t, "events")
		for seq := 1; seq <= n; seq++ {
			switch rapid.IntRange(0, 3).Draw(t, "kind") {
			case 0, 1:
				off := rapid.SampledFrom([]int64{-1, 0, 100}).Draw(t, "offset")
				syncs = append(syncs, FullSync{Seq: seq, Node: node.Draw(t, "replica"), Master: node.Draw(t, "master"), Offset: off})
			case 2:
				proms = append(proms, Promotion{Seq: seq, Node: node.Draw(t, "promoted")})
			default:
				restarts = append(restarts, Restart{Seq: seq, Node: node.Draw(t, "restarted")})
			}
		}
		numbering := newSyncNumbering(syncs, proms, restarts)
		for _, nd := range nodes {
			for seq := 0; seq <= n+1; seq++ {
				assert.Equal(t, naiveNumbering(syncs, proms, restarts, nd, seq), numbering.at(nd, seq), fmt.Sprintf("%s before %d", nd, seq))
			}
			assert.Equal(t, naiveNumbering(syncs, proms, restarts, nd, n+1), LastSyncBySYNC(syncs, proms, restarts, nd))
		}
	})
}
