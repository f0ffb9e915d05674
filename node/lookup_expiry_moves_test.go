package node_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A key a lookup expires is removed from the keyspace, which moves the
// last key into its slot: a command holding that last key's entry from an
// earlier lookup must look it up again.

// COPY copied the blank entry the destination's expiry left of the source:
// the master held "" while its replicas, told COPY, held the value.
func TestCopyOverExpiringDestinationCopiesSource(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	e.do("SET", "dst", "old", "PX", "100")
	e.do("SET", "src", "439")
	e.h.Env.Advance(200e6)
	e.propagated()
	e.expect(
		"COPY src dst REPLACE", ":1\r\n",
		"GET dst", "$3\r\n439\r\n",
		"PTTL dst", ":-1\r\n",
		"GET src", "$3\r\n439\r\n",
		"DBSIZE", ":2\r\n",
	)
	assert.Equal(t, []string{"MULTI", "DEL dst", "COPY src dst REPLACE", "EXEC"}, e.propagated())
}

// SMOVE looked the source up, then the destination: the destination's
// expiry left the source's entry blank, which SMOVE took for a string.
func TestSmoveToExpiringDestinationMovesMember(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	e.do("SET", "dst", "old", "PX", "100")
	e.do("SADD", "src", "m")
	e.h.Env.Advance(200e6)
	e.propagated()
	e.expect(
		"SMOVE src dst m", ":1\r\n",
		"TYPE dst", "+set\r\n",
		"SMEMBERS dst", "*1\r\n$1\r\nm\r\n",
		"EXISTS src", ":0\r\n",
	)
	assert.Equal(t, []string{"MULTI", "DEL dst", "SMOVE src dst m", "EXEC"}, e.propagated())
}
