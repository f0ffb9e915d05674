package checker

import (
	"testing"

	"github.com/replsim/replsim/tap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// From a full resync's offset (or a promotion's) the first command that
// runs in a db comes after a SELECT; PING and REPLCONF do not count, a
// history's writes before any such point may skip it, and a full resync a
// replica served from its master's stream is not judged.
func TestSelectsFirst(t *testing.T) {
	ping, sel, set := enc(cmd("PING")), enc(cmd("SELECT", "1")), enc(cmd("SET", "k", "v"))
	var data []byte
	var chunks []StreamChunk
	add := func(p []byte) int64 {
		chunks = append(chunks, StreamChunk{Node: "n1", ReplID: "A", Start: int64(len(data)), Data: p})
		data = append(data, p...)
		return int64(len(data))
	}
	add(set) // written before any replica started: no SELECT needed
	atSelect := add(ping)
	add(sel)
	atSet := add(set)
	add(set)
	sync := func(master string, at int64) PrefixInput {
		return PrefixInput{Chunks: chunks, FullSyncs: []FullSync{{Node: "n2", Master: master, ReplID: "A", Offset: at, At: 100e9}}}
	}
	settings := []SettingsChange{{Node: "n1"}, {Node: "n3", Settings: tap.Settings{Replica: true}}}
	assert.Empty(t, CheckSelectsFirst(sync("n1", atSelect), settings))
	v := CheckSelectsFirst(sync("n1", atSet), settings)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "goes on from offset")
	assert.Contains(t, v[0].Detail, "(the full resync of n2) with")
	assert.Contains(t, v[0].Detail, "before any SELECT")
	assert.Empty(t, CheckSelectsFirst(sync("n3", atSet), settings), "served by a replica from its master's stream")
	assert.Empty(t, CheckSelectsFirst(sync("n4", atSet), settings), "a master whose role is not known")

	prom := PrefixInput{Chunks: chunks, Promotions: []Promotion{{Node: "n1", Was: tap.ReplStatus{ReplID: "Z"}, Now: tap.ReplStatus{ReplID: "A", Offset: atSet}}}}
	require.Len(t, CheckSelectsFirst(prom, nil), 1)
}
