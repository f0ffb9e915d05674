package checker

import (
	"fmt"
	"strings"
)

// minIDsForBytes is how many distinct replication IDs CheckReplIDBytes
// needs before it judges them: with 8 random IDs the chance that one of
// the 20 byte positions holds the same value in all is 20 * 256^-7, about
// 3e-16 a run.
const minIDsForBytes = 8

// CheckReplIDBytes judges the replication IDs the samples show, taken
// together: Redis draws each one (changeReplicationId,
// getRandomHexChars) from 20 random bytes, so across eight or more
// distinct IDs no byte position holds the same value in every one. A
// generator that leaves a byte unset, or draws from too few bits, makes
// IDs that are still 40 hex digits and still differ, which no other rule
// sees.
func CheckReplIDBytes(samples []ReplIDSample) []Violation {
	var ids []string
	seen := map[string]bool{}
	var last ReplIDSample
	for _, s := range samples {
		for _, id := range []string{s.ID, s.ID2} {
			if !replIDForm.MatchString(id) || id == zeroReplID || seen[id] {
				continue
			}
			seen[id] = true
			ids = append(ids, id)
			last = s
		}
	}
	if len(ids) < minIDsForBytes {
		return nil
	}
	var fixed []string
	for pos := 0; pos < 40; pos += 2 {
		same := true
		for _, id := range ids[1:] {
			if id[pos:pos+2] != ids[0][pos:pos+2] {
				same = false
				break
			}
		}
		if same {
			fixed = append(fixed, fmt.Sprintf("byte %d is %s", pos/2, ids[0][pos:pos+2]))
		}
	}
	if len(fixed) == 0 {
		return nil
	}
	return []Violation{{Check: "repl_ids", Nodes: []string{last.Node}, At: last.At,
		Detail: fmt.Sprintf("the %d distinct replication IDs the nodes showed agree in a byte (%s; the last new one, %s, read from %s): Redis draws each ID from 20 random bytes (getRandomHexChars), so a byte the same in %d of them has odds of about 256^-%d",
			len(ids), strings.Join(fixed, ", "), ids[len(ids)-1], last.Node, len(ids), len(ids)-1)}}
}
