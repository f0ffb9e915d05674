package redisproc

import (
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeServer answers every connection's first command with the next of
// replies (the last one repeats), and returns its address.
func fakeServer(t *testing.T, replies ...string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	go func() {
		for i := 0; ; i++ {
			c, err := l.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 64)
			_, _ = c.Read(buf)
			_, _ = c.Write([]byte(replies[min(i, len(replies)-1)]))
			c.Close()
		}
	}()
	return l.Addr().String()
}

func soon() time.Time { return time.Now().Add(2 * time.Second) }

// A server still loading its dataset accepts connections but is not ready.
func TestPingWaitsOutLoading(t *testing.T) {
	addr := fakeServer(t, "-LOADING Redis is loading the dataset in memory\r\n", "+PONG\r\n")
	assert.Contains(t, ping(addr, soon(), nil), "LOADING")
	assert.Equal(t, "", ping(addr, soon(), nil))
}

func TestPingAcceptsNoauth(t *testing.T) {
	addr := fakeServer(t, "-NOAUTH Authentication required.\r\n")
	assert.Equal(t, "", ping(addr, soon(), nil))
}

func TestPingExplainsRefusalAndSilence(t *testing.T) {
	p, err := FreePort()
	require.NoError(t, err)
	assert.Contains(t, ping("127.0.0.1:"+strconv.Itoa(p), soon(), nil), "refused")

	// A listener that accepts and never answers: ping gives up at the
	// deadline it was given.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	began := time.Now()
	why := ping(l.Addr().String(), time.Now().Add(200*time.Millisecond), nil)
	assert.Contains(t, why, "PING: ")
	assert.Contains(t, why, "timeout")
	assert.Less(t, time.Since(began), 2*time.Second)
	assert.Equal(t, "deadline passed", ping(l.Addr().String(), time.Now().Add(-time.Second), nil))
}

// An exit of the server abandons a PING that nobody will answer.
func TestPingAbandonedOnAbort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	abort := make(chan struct{})
	close(abort)
	began := time.Now()
	why := ping(l.Addr().String(), time.Now().Add(10*time.Second), abort)
	assert.Contains(t, why, "PING: ")
	assert.Less(t, time.Since(began), 5*time.Second)
}
