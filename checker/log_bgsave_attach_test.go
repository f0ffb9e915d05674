package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBgsaveAttached(t *testing.T) {
	ports := map[string]int{"n2": 6379, "n3": 6379}
	l := func(format string, args ...string) LogLine {
		msg := format
		if len(args) > 0 {
			msg = format + " " + args[0]
		}
		return LogLine{Node: "n1", Format: format, Args: args, Msg: msg}
	}
	full := func(name string) []LogLine {
		return []LogLine{l(logAsksSync, name), l(logFullRequested, name)}
	}
	started := append(full("n2:6379"), l(logSyncToDisk), l(logSaveStarted, "7"))
	join := func(name, decision string) []LogLine {
		return append(append(append([]LogLine(nil), started...), full(name)...), l(decision))
	}

	assert.Empty(t, bgsaveAttached(join("n3:6379", logWaitBgsaveEnd), ports), "attached")
	v := bgsaveAttached(join("n3:6379", logCantAttach), ports)
	require.Len(t, v, 1, "refused with n2 waiting for the end")
	assert.Contains(t, v[0].Detail, "while n2:6379 waited for the end")

	assert.Empty(t, bgsaveAttached(join("p1:7001", logCantAttach), ports), "a replica whose capabilities the log does not give")
	lost := append(append(append([]LogLine(nil), started...), l(logReplicaLost, "n2:6379")), full("n3:6379")...)
	assert.Empty(t, bgsaveAttached(append(lost, l(logCantAttach)), ports), "the replica waiting for the end left")
	ended := append(append(append([]LogLine(nil), started...), l(logSaveDone), l(logSaveStarted, "8")), full("n3:6379")...)
	assert.Empty(t, bgsaveAttached(append(ended, l(logCantAttach)), ports), "another BGSAVE, an operator's")
	plain := append(append([]LogLine{l(logSaveStarted, "7")}, full("n2:6379")...), l(logCantAttach))
	plain = append(append(plain, full("n3:6379")...), l(logCantAttach))
	assert.Empty(t, bgsaveAttached(plain, ports), "nobody waits for the end of an operator's BGSAVE")

	// A replica that waited for the next BGSAVE waits for the end of the
	// one that starts for SYNC.
	waited := append(append(append([]LogLine{l(logSaveStarted, "7")}, full("n2:6379")...), l(logCantAttach), l(logSaveDone),
		l(logSyncToDisk), l(logSaveStarted, "8")), full("n3:6379")...)
	assert.Len(t, bgsaveAttached(append(waited, l(logCantAttach)), ports), 1, "n2 moved to wait for the end")

	// Chaos seed 6031822: a replica served a partial resync, and one whose
	// request got no decision in its instant, wait for no BGSAVE; when the
	// operator's BGSAVE ends and one starts for SYNC, only p1 waits for its
	// end, and p1's leaving leaves nobody.
	at := func(ms int64, ls ...LogLine) []LogLine {
		for i := range ls {
			ls[i].At = ms * 1e6
		}
		return ls
	}
	var seq []LogLine
	seq = append(seq, at(1, l(logSaveStarted, "1"))...)
	seq = append(seq, at(2, append(full("p1:7437"), l(logCantAttach))...)...)
	seq = append(seq, at(3, l(logAsksSync, "n3:6379"), l(logPartialOK, "n3:6379", "10", "1"))...)
	seq = append(seq, at(4, l(logAsksSync, "n3:6379"))...)
	seq = append(seq, at(5, l(logSaveDone), l(logSyncToDisk), l(logSaveStarted, "2"))...)
	seq = append(seq, at(6, l(logReplicaLost, "p1:7437"))...)
	assert.Empty(t, bgsaveAttached(append(seq, at(7, append(full("n2:6379"), l(logCantAttach))...)...), ports))
	seq[len(seq)-1] = at(6, l(logReplicaLost, "p2:7000"))[0]
	assert.Len(t, bgsaveAttached(append(seq, at(7, append(full("n2:6379"), l(logCantAttach))...)...), ports), 1,
		"p1 still waits for the end")
}
