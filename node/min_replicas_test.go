package node_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/nodetest"
	"github.com/replsim/replsim/node"
)

// min-replicas-to-write refuses writes (and EXECs that write) with
// NOREPLICAS until enough replicas have acked within min-replicas-max-lag;
// INFO shows the count of good replicas while the check is on.
func TestMinReplicasToWrite(t *testing.T) {
	h := nodetest.New(t, node.DefaultConfig())
	c := h.Conn()
	r := h.Replica()
	ticks(h, time.Second)
	assert.NotContains(t, h.DoString(c, "INFO", "replication"), "min_slaves_good_slaves")
	require.Equal(t, "+OK\r\n", h.DoString(c, "CONFIG", "SET", "min-slaves-to-write", "2"))
	assert.Contains(t, h.DoString(c, "INFO", "replication"), "min_slaves_good_slaves:1\r\n")
	assert.Equal(t, "-NOREPLICAS Not enough good replicas to write.\r\n", h.DoString(c, "SET", "k", "v"))
	assert.Equal(t, "$-1\r\n", h.DoString(c, "GET", "k"), "reads are fine")
	h.Do(c, "MULTI")
	assert.Equal(t, "-NOREPLICAS Not enough good replicas to write.\r\n", h.DoString(c, "SET", "k", "v"), "refused at queue time")
	assert.Equal(t, "-EXECABORT Transaction discarded because of previous errors.\r\n", h.DoString(c, "EXEC"))

	require.Equal(t, "+OK\r\n", h.DoString(c, "CONFIG", "SET", "min-replicas-to-write", "1"))
	assert.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "v"))

	// The replica stops acking: after max-lag seconds the cron counts it
	// out and writes stop.
	require.Equal(t, "+OK\r\n", h.DoString(c, "CONFIG", "SET", "min-replicas-max-lag", "3"))
	ticks(h, 3*time.Second)
	assert.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "v"))
	ticks(h, 2*time.Second)
	assert.Equal(t, "-NOREPLICAS Not enough good replicas to write.\r\n", h.DoString(c, "SET", "k", "v"))
	assert.Contains(t, h.DoString(c, "INFO", "replication"), "min_slaves_good_slaves:0\r\n")
	h.Do(r.Conn, "REPLCONF", "ACK", "0")
	ticks(h, time.Second)
	assert.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "v"))

	// max-lag 0 switches the check off.
	require.Equal(t, "+OK\r\n", h.DoString(c, "CONFIG", "SET", "min-replicas-max-lag", "0"))
	h.CloseConn(r.Conn)
	assert.Equal(t, "+OK\r\n", h.DoString(c, "SET", "k", "v"))
}
