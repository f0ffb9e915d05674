package redisproc

import (
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/node/resp"
)

// pipeServer returns a Conn whose peer reads one command and then writes
// chunks, each a separate read on the Conn's side (net.Pipe does not
// coalesce writes), and closes. The command it read comes on the channel.
func pipeServer(t *testing.T, chunks ...string) (*Conn, <-chan string) {
	t.Helper()
	client, server := net.Pipe()
	t.Cleanup(func() { client.Close() })
	got := make(chan string, 1)
	go func() {
		defer server.Close()
		buf := make([]byte, 1024)
		n, _ := server.Read(buf)
		got <- string(buf[:n])
		for _, c := range chunks {
			if _, err := server.Write([]byte(c)); err != nil {
				return
			}
		}
	}()
	c := NewConn(client)
	c.Timeout = 2 * time.Second
	return c, got
}

// Replies split across reads and replies that share a read come out one
// at a time, whole.
func TestReadRawReassemblesAndSplitsReplies(t *testing.T) {
	c, got := pipeServer(t, "$5\r\nhe", "llo\r\n:4", "2\r\n*2\r\n$1\r\na\r\n$-1\r\n", "+OK\r\n")
	raw, err := c.DoRaw("GET", "k")
	require.NoError(t, err)
	assert.Equal(t, "$5\r\nhello\r\n", string(raw))
	assert.Equal(t, "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", <-got)
	for _, want := range []string{":42\r\n", "*2\r\n$1\r\na\r\n$-1\r\n", "+OK\r\n"} {
		raw, err = c.ReadRaw()
		require.NoError(t, err)
		assert.Equal(t, want, string(raw))
	}
	_, err = c.ReadRaw()
	assert.ErrorIs(t, err, io.EOF, "the peer closed")
}

func TestReadRawRejectsWhatIsNotResp(t *testing.T) {
	c, _ := pipeServer(t, "?what\r\n")
	raw, err := c.DoRaw("PING")
	assert.Error(t, err)
	assert.Equal(t, "?what\r\n", string(raw), "what was read comes back with the error")
}

func TestReadRawReturnsAPartialReplyAtEOF(t *testing.T) {
	c, _ := pipeServer(t, "$10\r\nhal")
	raw, err := c.DoRaw("GET", "k")
	assert.ErrorIs(t, err, io.EOF)
	assert.Equal(t, "$10\r\nhal", string(raw))
}

func TestDoParsesAndKeepsErrorRepliesAsValues(t *testing.T) {
	c, _ := pipeServer(t, "-ERR unknown command 'NOPE'\r\n")
	v, err := c.Do("NOPE")
	require.NoError(t, err)
	assert.Equal(t, resp.Error, v.Kind)
	assert.Equal(t, "ERR unknown command 'NOPE'", string(v.Str))

	_, err = c.Do("GET", "k")
	assert.ErrorContains(t, err, "[GET k]: ")
}

func TestDoTimesOut(t *testing.T) {
	client, server := net.Pipe()
	defer client.Close()
	defer server.Close()
	go func() { _, _ = io.Copy(io.Discard, server) }() // reads, never answers
	c := NewConn(client)
	c.Timeout = 100 * time.Millisecond
	began := time.Now()
	_, err := c.Do("PING")
	assert.ErrorContains(t, err, "timeout")
	assert.Less(t, time.Since(began), 2*time.Second)
}

func TestInfoField(t *testing.T) {
	info := "# Replication\r\nrole:slave\r\nmaster_host:127.0.0.1\r\nmaster_link_status:up\r\n"
	c, _ := pipeServer(t, string(resp.AppendBulkString(nil, info)))
	v, err := c.InfoField("replication", "master_link_status")
	require.NoError(t, err)
	assert.Equal(t, "up", v)

	c, _ = pipeServer(t, "-NOAUTH Authentication required.\r\n")
	_, err = c.InfoField("replication", "role")
	assert.ErrorContains(t, err, "INFO replication: NOAUTH")

	assert.Equal(t, "slave", InfoValue(info, "role"))
	assert.Equal(t, "", InfoValue(info, "nosuch"))
	assert.Equal(t, "", InfoValue(info, "# Replication"))
}
