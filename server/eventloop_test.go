package server

import (
	"bufio"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServerEventLoops: both drivers (epoll, the default on Linux, and
// the goroutine driver, which REPLSIM_EVENTLOOP=goroutine selects) serve a pipeline whose
// replies outgrow the socket buffers of a client that reads them late,
// and notice a client that goes away.
func TestServerEventLoops(t *testing.T) {
	for _, mode := range []string{"epoll", "goroutine"} {
		t.Run("driver="+mode, func(t *testing.T) {
			t.Setenv("REPLSIM_EVENTLOOP", mode)
			s, addr := inProcServer(t, nil)
			assert.Equal(t, mode == "epoll" && runtime.GOOS == "linux", s.poll != nil)
			c := dialServer(t, addr)
			r := bufio.NewReader(c)
			val := strings.Repeat("x", 64<<10)
			assert.Equal(t, "+OK\r\n", roundTrip(t, c, r, "SET k "+val+"\r\n"))
			const n = 200 // 13 MB of replies: partial writes, EPOLLOUT
			_, err := c.Write([]byte(strings.Repeat("GET k\r\n", n)))
			require.NoError(t, err)
			for range n {
				line, err := r.ReadString('\n')
				require.NoError(t, err)
				require.Equal(t, "$65536\r\n", line)
				_, err = io.CopyN(io.Discard, r, int64(len(val)+2))
				require.NoError(t, err)
			}
			// A MONITOR client that reads nothing: one big line fills its
			// socket, then each command of another client queues one more
			// small write behind it, more than one writev takes (IOV_MAX).
			mon := dialServer(t, addr)
			mr := bufio.NewReader(mon)
			assert.Equal(t, "+OK\r\n", roundTrip(t, mon, mr, "MONITOR\r\n"))
			big := strings.Repeat("b", 16<<20)
			assert.Equal(t, "+OK\r\n", roundTrip(t, c, r, "*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$"+strconv.Itoa(len(big))+"\r\n"+big+"\r\n"))
			const many = 3000
			for i := range many {
				require.Equal(t, "+OK\r\n", roundTrip(t, c, r, "SET s"+strconv.Itoa(i)+" v\r\n"))
			}
			require.NoError(t, mon.SetReadDeadline(time.Now().Add(30*time.Second)))
			line, err := mr.ReadString('\n')
			require.NoError(t, err)
			require.Equal(t, len(big)+len(`"SET" "big" ""`)+2, len(line[strings.Index(line, `"`):]))
			for i := range many {
				line, err := mr.ReadString('\n')
				require.NoError(t, err)
				require.True(t, strings.HasSuffix(line, `"SET" "s`+strconv.Itoa(i)+`" "v"`+"\r\n"), line)
			}
			require.NoError(t, mon.Close())
			gone := dialServer(t, addr)
			gr := bufio.NewReader(gone)
			assert.Equal(t, "+PONG\r\n", roundTrip(t, gone, gr, "PING\r\n"))
			require.NoError(t, gone.Close())
			assert.Eventually(t, func() bool {
				_, err := c.Write([]byte("INFO clients\r\n"))
				require.NoError(t, err)
				line, err := r.ReadString('\n')
				require.NoError(t, err)
				info, err := readBulkBody(r, line)
				require.NoError(t, err)
				return infoField(info, "connected_clients") == "1"
			}, 5*time.Second, 10*time.Millisecond)
		})
	}
}

// readBulkBody reads the body of a bulk reply whose header line is head.
func readBulkBody(r *bufio.Reader, head string) (string, error) {
	var n int
	for _, ch := range strings.TrimSpace(strings.TrimPrefix(head, "$")) {
		n = n*10 + int(ch-'0')
	}
	buf := make([]byte, n+2)
	_, err := io.ReadFull(r, buf)
	return string(buf[:n]), err
}
