package redistest

import (
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeServer answers every connection's first command with the next of
// replies (the last one repeats).
func fakeServer(t *testing.T, replies ...string) *Server {
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
	return &Server{Port: l.Addr().(*net.TCPAddr).Port}
}

// A server still loading its dataset accepts connections but is not ready.
func TestPingWaitsOutLoading(t *testing.T) {
	s := fakeServer(t, "-LOADING Redis is loading the dataset in memory\r\n", "+PONG\r\n")
	assert.Contains(t, s.ping(), "LOADING")
	assert.Equal(t, "", s.ping())
}

func TestPingAcceptsNoauth(t *testing.T) {
	s := fakeServer(t, "-NOAUTH Authentication required.\r\n")
	assert.Equal(t, "", s.ping())
}
