package cluster

import (
	"strconv"
	"strings"
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/sim"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTableCommandsRoundTrip: every command of the admin and errors tables,
// with a key of db 0 or db 1, reads back from an operation list as drawn.
func TestTableCommandsRoundTrip(t *testing.T) {
	for mode, table := range map[string][]tableCmd{"ADMIN": adminReads, "EXPECT": append(errorCmds[:len(errorCmds):len(errorCmds)], argErrorCmds...), "INLINE": inlineReads} {
		for _, tc := range table {
			for _, k := range []string{"k3", "d1:k5"} {
				op := tableOp(tc, k, mode)
				got, err := parseCommand(CommandWords(&op), false)
				require.NoError(t, err, "%v", tc.words)
				assert.Equal(t, op, got)
			}
		}
	}
}

// TestTableArgsFollowTheKeysDB: a table command's key gets its database
// prefix in Args as well.
func TestTableArgsFollowTheKeysDB(t *testing.T) {
	op := tableOp(tcmd("OBJECT ENCODING $k"), "k2", "ADMIN")
	op.Key = "d1:k2"
	tableArgs(&op, "k2")
	assert.Equal(t, []string{"OBJECT", "ENCODING", "d1:k2"}, op.Args)
}

// TestFormsRoundTrip: the forms family's commands read back from an
// operation list as drawn, in db 0 and db 1.
func TestFormsRoundTrip(t *testing.T) {
	r := sim.NewWorld(1).Rand("forms")
	for i := 0; i < 200; i++ {
		op := checker.Op{Key: "k4"}
		drawForms(r, &op, 8)
		if i%2 == 1 {
			op.Key = "d1:k4"
			tableArgs(&op, "k4")
		}
		got, err := parseCommand(CommandWords(&op), false)
		require.NoError(t, err, "%v", op.Args)
		assert.Equal(t, op, got)
	}
}

// TestFixedRepliesOfTheNode: every command of the errors table gets its
// reply from a node, whether its key is missing or holds a string (the
// replies were taken from redis-server 7.0.15).
func TestFixedRepliesOfTheNode(t *testing.T) {
	h := New(sim.NewWorld(1), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{}))
	for _, present := range []bool{false, true} {
		if present {
			_, err := h.Exec("n1", "SET", "k1", "v")
			require.NoError(t, err)
		}
		for _, tc := range append(errorCmds[:len(errorCmds):len(errorCmds)], argErrorCmds...) {
			op := tableOp(tc, "k1", "EXPECT")
			fillGivenReply(&op, h.Node("n1"))
			v, err := h.Exec("n1", op.Args...)
			require.NoError(t, err)
			got := strings.ReplaceAll(v.String(), "\n", " ")
			if v.Kind == resp.Error {
				got = string(v.Str)
			}
			assert.Equal(t, op.Value, got, "%v (key present: %v)", tc.words, present)
		}
	}
}

// TestShutdownOnSigGiven: CONFIG GET shutdown-on-sigterm / -sigint shows
// every value the harness may give a node as the node renders it
// (redis-server 7.0.15 shows "NOW nosave" as "nosave now", "default save"
// as "save").
func TestShutdownOnSigGiven(t *testing.T) {
	h := New(sim.NewWorld(1), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{}))
	s := h.Node("n1")
	get := func(name string) checker.Op {
		op := tableOp(errCmd("CONFIG GET "+name, givenReply), "k1", "EXPECT")
		fillGivenReply(&op, s)
		return op
	}
	assert.Equal(t, `1) "shutdown-on-sigterm" 2) "default"`, get("shutdown-on-sigterm").Value, "nothing given")
	for _, v := range shutdownOnSigValues {
		for i, name := range []string{"shutdown-on-sigterm", "shutdown-on-sigint"} {
			require.NoError(t, h.execOK("n1", "CONFIG", "SET", name, v))
			s.sigFlags[i] = v
			op := get(name)
			got, err := h.Exec("n1", op.Args...)
			require.NoError(t, err)
			assert.Equal(t, op.Value, strings.ReplaceAll(got.String(), "\n", " "), "%s %q", name, v)
		}
	}
	assert.Equal(t, `1) "shutdown-on-sigint" 2) "nosave now"`, func() string {
		s.sigFlags[1] = "NOW nosave"
		return get("shutdown-on-sigint").Value
	}())
}

// TestKnobRepliesOfTheNode: the knobs family's fixed replies, from a node,
// whether its key is missing or holds a string (replies taken from
// redis-server 7.0.15). An inline command is sent as the node's parser
// reads the line encodeOp writes.
func TestKnobRepliesOfTheNode(t *testing.T) {
	h := New(sim.NewWorld(1), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{}))
	for _, mode := range []string{"EXPECT", "INLINEX"} {
		table := map[string][]tableCmd{"EXPECT": knobExpects, "INLINEX": knobInline}[mode]
		for _, tc := range table {
			op := tableOp(tc, "k1", mode)
			req, _ := encodeOp(&op)
			argv, _, err := resp.ParseCommand(req, nil, nil)
			require.NoError(t, err, "%v", tc.words)
			words := make([]string, len(argv))
			for i, a := range argv {
				words[i] = string(a)
			}
			v, err := h.Exec("n1", words...)
			require.NoError(t, err)
			got := strings.ReplaceAll(v.String(), "\n", " ")
			if v.Kind == resp.Error {
				got = string(v.Str)
			}
			assert.Equal(t, tc.reply, got, "%v", tc.words)
		}
	}
}

// TestKnobTablesRoundTrip: the knobs family's commands read back from an
// operation list as drawn.
func TestKnobTablesRoundTrip(t *testing.T) {
	for mode, table := range map[string][]tableCmd{"ADMIN": knobConfigs, "EXPECT": knobExpects, "INLINEX": knobInline} {
		for _, tc := range table {
			op := tableOp(tc, "k3", mode)
			got, err := parseCommand(CommandWords(&op), false)
			require.NoError(t, err, "%v", tc.words)
			assert.Equal(t, op, got)
		}
	}
}

// TestTxSelectPlacesTheCommandsAfterIt: a drawn SELECT moves the
// commands after it to the other db (their keys named for it), and the
// transaction selects the client's db again before EXEC.
func TestTxSelectPlacesTheCommandsAfterIt(t *testing.T) {
	for _, clientDB := range []int{0, 1} {
		op := checker.Op{Kind: checker.OpTx, Sub: []checker.Op{
			{Kind: checker.OpSet, Key: "k1", Value: "1"},
			{Kind: checker.OpRead, Mode: "SELECT"},
			{Kind: checker.OpIncr, Key: "k2"},
		}}
		placeTxCommands(&op, clientDB)
		other := 1 - clientDB
		var words [][]string
		for _, sub := range op.Sub {
			words = append(words, sub.Args)
		}
		named := map[int]string{0: "", 1: "d1:"}
		assert.Equal(t, [][]string{{"SET", named[clientDB] + "k1", "1"}, {"SELECT", strconv.Itoa(other)}, {"INCR", named[other] + "k2"},
			{"SELECT", strconv.Itoa(clientDB)}}, words)
		assert.Equal(t, []int{clientDB, clientDB, other, other}, []int{op.Sub[0].DB, op.Sub[1].DB, op.Sub[2].DB, op.Sub[3].DB})
	}
}
