package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRefusedAnyway(t *testing.T) {
	args := func(s ...string) [][]byte {
		var out [][]byte
		for _, a := range s {
			out = append(out, []byte(a))
		}
		return out
	}
	assert.True(t, refusedAnyway(args("SET", "k", "v", "EX", "0")))
	assert.True(t, refusedAnyway(args("set", "k", "v", "NX", "px", "0")))
	assert.False(t, refusedAnyway(args("SET", "k", "v", "EX", "10")))
	assert.False(t, refusedAnyway(args("SET", "k", "v", "EX", "x")), "refused too, but as not an integer")
	assert.False(t, refusedAnyway(args("SET", "EX", "0")))
}

// The line is the one real redis-server 7.0.15 logged loading such an
// incr file.
func TestAOFLoadErrorsLogged(t *testing.T) {
	const name = "appendonly.aof.1.incr.aof"
	refused := "*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n$2\r\nEX\r\n$1\r\n0\r\n"
	st := []AOFStart{{Node: "n1", At: 2e9, Last: name, Data: []byte(tailSelect + refused)}}
	loaded := line(2, logAOFLoaded)
	critical := line(2, logAOFClientError, errInvalidExpireSet, "set")
	assert.Equal(t, "== CRITICAL == This server is sending an error to its AOF-loading-client: 'invalid expire time in 'set' command' after processing the command 'set'", critical.Msg)
	assert.Empty(t, CheckAOFLoadErrors(st, []LogLine{critical, loaded}, nil))
	// A refused start, a faulted read, a refused command inside a MULTI
	// (never run: the file ends inside it) are not judged.
	assert.Empty(t, CheckAOFLoadErrors(st, nil, nil))
	assert.Empty(t, CheckAOFLoadErrors(st, []LogLine{loaded}, []DiskFault{{At: 2e9, Node: "n1", Op: "read"}}))
	inMulti := []AOFStart{{Node: "n1", At: 2e9, Last: name, Data: []byte(tailSelect + tailMulti + refused)}}
	assert.Empty(t, CheckAOFLoadErrors(inMulti, []LogLine{loaded}, nil))

	// Loaded without the line, or with it once for two commands.
	vs := CheckAOFLoadErrors(st, []LogLine{loaded}, nil)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "holds 1 SET command(s) with an expire of 0")
	two := []AOFStart{{Node: "n1", At: 2e9, Last: name, Data: []byte(tailSelect + refused + tailSet + refused)}}
	vs = CheckAOFLoadErrors(two, []LogLine{critical, loaded}, nil)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "the node logged it 1 time(s)")
}

// An error is logged after the command that got it: the same error again
// after a later SET or INCR is a reply buffer not emptied between the AOF
// client's commands (mutant node/aof_load.go: c.out = c.out[:0] removed).
func TestAOFClientErrorsOwnCommand(t *testing.T) {
	own := line(2, logAOFClientError, errInvalidExpireSet, "set")
	inExec := line(2, logAOFClientError, errInvalidExpireSet, "exec")
	other := line(2, logAOFClientError, "value is not an integer or out of range", "incr")
	assert.Empty(t, CheckAOFClientErrorsOwnCommand([]LogLine{own, inExec, other}))
	again := line(2, logAOFClientError, errInvalidExpireSet, "incr")
	vs := CheckAOFClientErrorsOwnCommand([]LogLine{own, again})
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Detail, "names the command 'set', but the line says it followed 'incr'")
}
