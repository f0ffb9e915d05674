package difftest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/replsim/replsim/node/resp"
)

// Marker is the command that ends a replication stream segment: it writes
// nothing visible but both servers propagate it, with the client's casing,
// which is unusual enough to be recognised exactly.
var Marker = []string{"fUnCtIoN", "fLuSh", "sYnC"}

// RedisStream is a fake replica attached to a real Redis: it reads the
// replication stream the master sends after a full sync.
type RedisStream struct {
	conn net.Conn
	r    *bufio.Reader
	buf  []byte
}

// AttachRedisReplica connects to addr, sends PSYNC ? -1 and consumes the
// FULLRESYNC line and the RDB payload.
func AttachRedisReplica(addr string, timeout time.Duration) (*RedisStream, error) {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, fmt.Errorf("difftest: replica dial %s: %w", addr, err)
	}
	s := &RedisStream{conn: c, r: bufio.NewReaderSize(c, 1<<16)}
	if err := c.SetDeadline(time.Now().Add(timeout)); err != nil {
		return nil, err
	}
	if _, err := c.Write(resp.AppendCommandStrings(nil, "PSYNC", "?", "-1")); err != nil {
		return nil, fmt.Errorf("difftest: replica PSYNC: %w", err)
	}
	line, err := s.r.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "+FULLRESYNC ") {
		return nil, fmt.Errorf("difftest: replica expected +FULLRESYNC, got %q (%v)", line, err)
	}
	for {
		line, err = s.r.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("difftest: replica reading RDB header: %w", err)
		}
		if line != "\n" {
			break
		}
	}
	if !strings.HasPrefix(line, "$") || !strings.HasSuffix(line, "\r\n") {
		return nil, fmt.Errorf("difftest: replica expected $<len>, got %q", line)
	}
	size, err := strconv.ParseInt(line[1:len(line)-2], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("difftest: replica bad RDB length %q", line)
	}
	if _, err := io.CopyN(io.Discard, s.r, size); err != nil {
		return nil, fmt.Errorf("difftest: replica reading RDB: %w", err)
	}
	return s, nil
}

// Close closes the replica connection.
func (s *RedisStream) Close() error { return s.conn.Close() }

// ReadUntil returns the commands the master streamed up to and including
// the first one equal to marker, waiting at most
// timeout for it.
func (s *RedisStream) ReadUntil(marker []string, timeout time.Duration) ([][]string, error) {
	if err := s.conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return nil, err
	}
	var out [][]string
	for {
		for len(s.buf) > 0 && s.buf[0] == '\n' {
			s.buf = s.buf[1:]
		}
		if len(s.buf) > 0 {
			v, k, err := resp.ParseValue(s.buf)
			if err != nil {
				return out, fmt.Errorf("difftest: bad replication stream %q: %w", s.buf, err)
			}
			if k > 0 {
				s.buf = s.buf[k:]
				cmd := make([]string, len(v.Array))
				for i, a := range v.Array {
					cmd[i] = string(a.Str)
				}
				out = append(out, cmd)
				if equalCmd(cmd, marker) {
					return out, nil
				}
				continue
			}
		}
		chunk := make([]byte, 1<<16)
		n, err := s.r.Read(chunk)
		if err != nil {
			return out, fmt.Errorf("difftest: reading replication stream: %w", err)
		}
		s.buf = append(s.buf, chunk[:n]...)
	}
}

func equalCmd(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// NormalizeStream prepares a stream segment for comparison: the master's
// periodic PINGs go, and each run of consecutive single-key DELs (expired
// keys found by SCAN, whose order follows each server's hash table) is
// sorted. With loose set (the segment ran RANDOMKEY, which expires
// different keys on each side), single-key DELs and MULTI/EXEC are
// dropped altogether. db tracks the stream's selected db across segments
// (start with ""): a SELECT of the db already selected, which dropping
// DELs can leave behind, goes too, and so does all but the last of a run
// of SELECTs.
func NormalizeStream(cmds [][]string, loose bool, db *string) [][]string {
	var out [][]string
	before := *db // the db before the last SELECT kept in out
	isDel := func(c []string) bool { return len(c) == 2 && strings.EqualFold(c[0], "del") }
	isSelect := func(c []string) bool { return len(c) == 2 && strings.EqualFold(c[0], "select") }
	for i := 0; i < len(cmds); i++ {
		c := cmds[i]
		switch {
		case len(c) == 1 && strings.EqualFold(c[0], "ping"):
			continue
		case loose && (isDel(c) || (len(c) == 1 && (strings.EqualFold(c[0], "multi") || strings.EqualFold(c[0], "exec")))):
			continue
		case isSelect(c):
			if len(out) > 0 && isSelect(out[len(out)-1]) {
				out = out[:len(out)-1] // superseded before any command used it
				*db = before
			}
			before = *db
			if c[1] != *db {
				out = append(out, c)
				*db = c[1]
			}
		case isDel(c):
			j := i
			for j < len(cmds) && isDel(cmds[j]) {
				j++
			}
			run := append([][]string(nil), cmds[i:j]...)
			sort.Slice(run, func(a, b int) bool { return run[a][1] < run[b][1] })
			out = append(out, run...)
			i = j - 1
		default:
			out = append(out, c)
		}
	}
	return out
}

// CompareStreams compares two normalized segments command by command. The
// absolute times that expiries propagate as (SET ... PXAT t, PEXPIREAT k t,
// RESTORE k t ... ABSTTL) may differ by up to 2000 ms.
func CompareStreams(ours, theirs [][]string) (bool, string) {
	if len(ours) != len(theirs) {
		return false, fmt.Sprintf("%d commands vs %d", len(ours), len(theirs))
	}
	for i := range ours {
		a, b := ours[i], theirs[i]
		if len(a) != len(b) {
			return false, fmt.Sprintf("command %d: %q vs %q", i, a, b)
		}
		for j := range a {
			if a[j] == b[j] || timeArg(a, j) && closeInts(a[j], b[j], 2000) {
				continue
			}
			return false, fmt.Sprintf("command %d: %q vs %q", i, a, b)
		}
	}
	return true, ""
}

// timeArg reports whether argument j of cmd is a propagated absolute time.
func timeArg(cmd []string, j int) bool {
	name := strings.ToLower(cmd[0])
	return (name == "pexpireat" && j == 2) || (name == "set" && j == 4 && strings.EqualFold(cmd[3], "pxat")) ||
		(name == "restore" && j == 2)
}

func closeInts(a, b string, tol int64) bool {
	x, err1 := strconv.ParseInt(a, 10, 64)
	y, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	d := x - y
	return d <= tol && d >= -tol
}
