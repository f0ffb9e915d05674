package cluster

import (
	"strings"
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A blocking command's client waits its timeout on top of the usual
// deadline; other commands, and a timeout of 0 (forever), add nothing.
func TestBlockForIsTheTimeout(t *testing.T) {
	for args, want := range map[string]sim.Time{
		"BLPOP l1 l2 0.5":            500 * sim.Millisecond,
		"BLMPOP 1 1 l1 LEFT":         sim.Second,
		"BRPOPLPUSH l1 l2 0.01":      10 * sim.Millisecond,
		"BLMOVE l1 l2 LEFT LEFT 0.2": 200 * sim.Millisecond,
		"BLPOP l1 0":                 0,
		"LPOP l1 1":                  0,
	} {
		op := checker.Op{Kind: checker.OpCmd, Args: strings.Fields(args)}
		assert.Equal(t, want, blockFor(&op), args)
	}
}

// TestListKnobsOfTheNode: the list layout settings' fixed replies from a
// node (taken from redis-server 7.0.15), and every accepted fill reads
// back from CONFIG GET as the checker's model expects (unnormalised).
func TestListKnobsOfTheNode(t *testing.T) {
	h := New(sim.NewWorld(1), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{}))
	for _, tc := range listPackedThresholds {
		v, err := h.Exec("n1", tableOp(tc, "l1", "EXPECT").Args...)
		require.NoError(t, err)
		got := v.String()
		if v.Kind == resp.Error {
			got = string(v.Str)
		}
		assert.Equal(t, tc.reply, got, "%v", tc.words)
	}
	for _, tc := range listFills {
		if tc.words[1] != "SET" {
			continue
		}
		v, err := h.Exec("n1", tc.words...)
		require.NoError(t, err)
		require.Equal(t, "OK", v.String(), "%v", tc.words)
		v, err = h.Exec("n1", "CONFIG", "GET", "list-max-listpack-size")
		require.NoError(t, err)
		require.Len(t, v.Array, 2)
		assert.Equal(t, tc.words[3], string(v.Array[1].Str), "%v", tc.words)
	}
}

// TestListKnobTablesRoundTrip: the list settings read back from an
// operation list as drawn.
func TestListKnobTablesRoundTrip(t *testing.T) {
	for mode, table := range map[string][]tableCmd{"EXPECT": listPackedThresholds, "ADMIN": listFills} {
		for _, tc := range table {
			op := tableOp(tc, "l3", mode)
			got, err := parseCommand(CommandWords(&op), false)
			require.NoError(t, err, "%v", tc.words)
			assert.Equal(t, op, got)
		}
	}
}

// TestUnblockRoundTrip: a CLIENT UNBLOCK reads back from an operation
// list as drawn (any target) or sent (a client's number); other forms are
// not its own.
func TestUnblockRoundTrip(t *testing.T) {
	for _, words := range []string{"CLIENT UNBLOCK client:? ERROR", "CLIENT UNBLOCK client:3", "CLIENT UNBLOCK client:0 TIMEOUT"} {
		op, err := parseCommand(strings.Fields(words), false)
		require.NoError(t, err, words)
		assert.Equal(t, checker.Op{Kind: checker.OpRead, Mode: "ADMIN", Args: strings.Fields(words)}, op)
	}
	for _, words := range []string{"CLIENT UNBLOCK client:x", "CLIENT UNBLOCK client:-1", "CLIENT UNBLOCK client:1 MAYBE", "CLIENT UNBLOCK 7"} {
		_, ok := parseUnblock(strings.Fields(words))
		assert.False(t, ok, words)
	}
	r := sim.NewWorld(1).Rand("t")
	for i := 0; i < 20; i++ {
		var op checker.Op
		drawUnblock(r, &op)
		got, err := parseCommand(CommandWords(&op), false)
		require.NoError(t, err)
		assert.Equal(t, op, got)
	}
}
