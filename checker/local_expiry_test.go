package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/replsim/replsim/tap"
)

// localExpiryCase is a writable replica n2 (from 0 on, its clock the
// virtual time) whose client set xl1 with PX 100 at 1 s, and whose
// dataset at 20 s still holds it with its TTL (1.1 s): a replica that
// failed to expire its own key.
func localExpiryCase() LocalExpiryInput {
	w := onN2(set(1, "xl1", "v", 1e9, 1e9+1e6), "")
	w.TTL = 100
	return LocalExpiryInput{
		Ops:      []Op{w},
		Settings: []SettingsChange{replicaSettings(0, true, false, true)},
		Clocks:   Clocks{"n2": FixedClock(0, 0)},
		End:      20e9,
		States:   []NodeState{{Name: "n2", Data: []tap.KeyValue{{Key: "xl1", Value: "v", ExpireAt: 1100}, {Key: "k1", Value: "m", ExpireAt: 1100}}}},
	}
}

// TestLocalExpiryCatchesAKeptKey: a key a writable replica gave a TTL
// itself, long expired on its clock, must be gone (Redis's
// expireSlaveKeys); the master's keys (k1, never written on n2) are not
// the replica's to expire.
func TestLocalExpiryCatchesAKeptKey(t *testing.T) {
	v := CheckLocalExpiry(localExpiryCase())
	if assert.Len(t, v, 1) {
		assert.Equal(t, []string{"xl1"}, v[0].Keys)
		assert.Contains(t, v[0].Detail, "writable replica n2 kept db 0 key xl1")
	}
	in := localExpiryCase()
	in.States[0].Data = in.States[0].Data[1:]
	assert.Empty(t, CheckLocalExpiry(in), "expired and deleted")
}

// TestLocalExpiryJudgesOnlyRememberedKeys: Redis forgets the keys it
// remembers on a full sync, a DEBUG RELOAD, a restart or a promotion, and
// a write's TTL counts only if the node was a writable replica throughout
// it and no other write on the node may have come after it.
func TestLocalExpiryJudgesOnlyRememberedKeys(t *testing.T) {
	for name, change := range map[string]func(*LocalExpiryInput){
		"full sync": func(in *LocalExpiryInput) { in.FullSyncs = []FullSync{{At: 5e9, Node: "n2", Master: "n1"}} },
		"reload":    func(in *LocalExpiryInput) { in.Reloads = []Reload{{At: 5e9, Node: "n2"}} },
		"promoted": func(in *LocalExpiryInput) {
			in.Settings = append(in.Settings, SettingsChange{At: 5e9, Node: "n2", Settings: tap.Settings{}})
		},
		"restarted": func(in *LocalExpiryInput) {
			in.Settings = append(in.Settings, SettingsChange{At: 5e9, Node: "n2", Down: true}, replicaSettings(6e9, true, false, true))
		},
		"read-only during the write": func(in *LocalExpiryInput) {
			in.Settings = []SettingsChange{replicaSettings(0, true, true, true), replicaSettings(1e9+5e5, true, false, true)}
		},
		"a later write": func(in *LocalExpiryInput) {
			in.Ops = append(in.Ops, onN2(set(1, "xl1", "w", 2e9, 2e9+1), ""))
		},
		"a write with no reply": func(in *LocalExpiryInput) {
			op := onN2(set(1, "xl1", "w", 5e8, 0), "")
			op.Unknown = true
			in.Ops = append(in.Ops, op)
		},
		"written on another node": func(in *LocalExpiryInput) { in.Ops = append(in.Ops, set(2, "xl1", "w", 1e8, 2e8)) },
		"paused at the end":       func(in *LocalExpiryInput) { in.Pauses = []Pause{{Node: "n2", From: 19e9, To: 19e9 + 1}} },
		"expired too recently": func(in *LocalExpiryInput) {
			in.States[0].Data[0].ExpireAt = 18500 // within the 2 s margin of one TTL key
		},
	} {
		in := localExpiryCase()
		change(&in)
		assert.Empty(t, CheckLocalExpiry(in), name)
	}
}
