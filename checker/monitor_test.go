package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseMonitorLine(t *testing.T) {
	db, addr, args, ok := parseMonitorLine(`1767225601.868387 [1 c3:57] "SET" "d1:k1" "a\"b\\c\x01\n"`)
	require.True(t, ok)
	assert.Equal(t, 1, db)
	assert.Equal(t, "c3:57", addr)
	assert.Equal(t, []string{"SET", "d1:k1", "a\"b\\c\x01\n"}, args)
	for _, bad := range []string{
		`1767225601.868387 [0 ] "SET" "k"`, // no address
		`1767225601.8683 [0 c1:2] "SET"`,   // microseconds are six digits
		`1767225601.868387 [0 c1:2]`,       // no command
		`+1767225601.868387 [0 c1:2] "GET" "k"`,
		`1767225601.868387 [0 c1:2] "GET" k`,
	} {
		_, _, _, ok := parseMonitorLine(bad)
		assert.False(t, ok, bad)
	}
}

func TestCheckMonitor(t *testing.T) {
	ops := []Op{
		{Client: 0, Node: "n1", Kind: OpSet, Key: "k1", Value: "7", Call: 20, Return: 30},
		{Client: 0, Node: "n1", Kind: OpMulti, Key: "k1", Value: "1", Key2: "k2", Value2: "2", Call: 40, Return: 50},
		{Client: 1, Node: "n1", Kind: OpCmd, Args: []string{"AUTH", "pw"}, Call: 40, Return: 50},
		{Client: 1, Node: "n1", Kind: OpIncr, Key: "k1", Call: 60, Return: 200}, // answered after the last line
	}
	line := func(at int64, s string) MonitorLine { return MonitorLine{At: at, Text: "1767225601.000001 " + s} }
	good := []MonitorLine{
		line(25, `[0 c1:5] "SET" "k1" "7"`), line(26, `[0 n2:9] "PING"`),
		line(45, `[0 c1:5] "MULTI"`), line(45, `[0 a1:6] "AUTH" "(redacted)"`),
		line(46, `[0 c1:5] "SET" "k1" "1"`), line(46, `[0 c1:5] "SET" "k2" "2"`), line(55, `[0 c1:5] "EXEC"`),
	}
	// Later commands of c1 (more lines than its commands up to the
	// transaction can cause: the missing lines were not on their way).
	var later []MonitorLine
	for i := range 20 {
		later = append(later, line(int64(60+i), `[0 c1:5] "PING"`))
	}
	with := func(ls ...MonitorLine) []MonitorLine { return append(ls, later...) }
	in := MonitorInput{Ops: ops, Clients: []string{"c1", "a1"},
		Sessions: []MonitorSession{{Node: "n1", From: 10, Client: "m1", Lines: with(good...)}}}
	assert.Empty(t, CheckMonitor(in))

	// The transaction's SETs missing (monitor-skips-multi).
	in.Sessions[0].Lines = append(append([]MonitorLine{}, good[:4]...), good[6])
	assert.Empty(t, CheckMonitor(in), "the lines may still be on their way")
	in.Sessions[0].Lines = with(in.Sessions[0].Lines...)
	vs := CheckMonitor(in)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, `never showed "SET k1 1"`)

	// The same lines out of the client's order.
	in.Sessions[0].Lines = with(good[4], good[5], good[0])
	assert.Len(t, CheckMonitor(in), 1)

	// A session that ended is judged for its format only.
	in.Sessions[0].Until = 100
	assert.Empty(t, CheckMonitor(in))
	in.Sessions[0].Lines = append(in.Sessions[0].Lines, line(90, `[0 ] "GET" "k1"`))
	vs = CheckMonitor(in)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "not in Redis's format")

	// A client with an operation of unknown outcome is not judged.
	in.Sessions[0].Until, in.Sessions[0].Lines = 0, with(good[3])
	require.Len(t, CheckMonitor(in), 1, "client c1's commands missing")
	in.Ops = append(in.Ops, Op{Client: 0, Node: "n1", Kind: OpDel, Key: "k3", Call: 32, Return: 38, Unknown: true})
	assert.Empty(t, CheckMonitor(in))
}
