package node

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/tap"
)

// A replica whose PSYNC gets an error falls back to SYNC on the same link,
// as Redis does, and takes the RDB that follows.
func TestReplicaRetriesWithSync(t *testing.T) {
	n, env, link := handshakeToPsync(t)
	env.sent[link] = nil
	n.OnData(link, []byte("-ERR unknown command 'PSYNC'\r\n"))
	assert.Equal(t, "SYNC\r\n", string(env.sent[link]))
	assert.True(t, env.logged("Master does not support PSYNC or is in error state (reply: -ERR unknown command 'PSYNC')"))
	assert.True(t, env.logged("Retrying with SYNC..."))
	snap := &rdb.Snapshot{Aux: rdb.StandardReplAux("7.0.15", 0, 0, 0, strings.Repeat("a", 40), 100)}
	payload := rdb.Append(nil, snap, rdb.Options{Checksum: true})
	msg := append([]byte("$"+itoa(int64(len(payload)))+"\r\n"), payload...)
	n.OnData(link, append(msg, resp.AppendCommandStrings(nil, "SET", "k", "v")...))
	assert.True(t, n.Repl().LinkUp)
	assert.Equal(t, []tap.KeyValue{{Key: "k", Value: "v"}}, n.Dataset())
}

// PSYNC with an offset that is not a number is an error (and no sync), as
// in Redis 7.0.15 (it used to half-accept: redis#10242).
func TestPsyncWrongOffset(t *testing.T) {
	n, e := newCfgNode(t)
	assert.Equal(t, "-ERR value is not an integer or out of range\r\n", call(t, n, e, 1, "psync", "replicationid", "offset_str"))
	assert.Equal(t, "+PONG\r\n", call(t, n, e, 1, "ping"))
	assert.Empty(t, n.repl.replicas)
}
