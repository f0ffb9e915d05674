package redisproc

import (
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/replsim/replsim/node/resp"
)

// DefaultTimeout bounds each command of a Conn unless its Timeout is set.
const DefaultTimeout = 5 * time.Second

// dialTimeout bounds Dial.
const dialTimeout = 2 * time.Second

// readChunk is how much ReadRaw asks the connection for at a time.
const readChunk = 4096

// Conn is one synchronous RESP connection: a command, then its reply.
type Conn struct {
	// Timeout bounds writing a command and reading its reply, from the
	// moment DoRaw (or Do) is called; 0 means DefaultTimeout.
	Timeout time.Duration

	c  net.Conn
	in []byte // read but not yet returned
}

// Dial connects to addr ("127.0.0.1:port").
func Dial(addr string) (*Conn, error) {
	c, err := net.DialTimeout("tcp", addr, dialTimeout)
	if err != nil {
		return nil, err
	}
	return NewConn(c), nil
}

// Dial connects to s.
func (s *Server) Dial() (*Conn, error) { return Dial(s.Addr()) }

// NewConn speaks RESP over c.
func NewConn(c net.Conn) *Conn { return &Conn{c: c} }

// Close closes the connection.
func (c *Conn) Close() error { return c.c.Close() }

// DoRaw sends one command and returns the raw bytes of its reply.
func (c *Conn) DoRaw(args ...string) ([]byte, error) {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if err := c.c.SetDeadline(time.Now().Add(timeout)); err != nil {
		return nil, err
	}
	if _, err := c.c.Write(resp.AppendCommandStrings(nil, args...)); err != nil {
		return nil, err
	}
	return c.ReadRaw()
}

// ReadRaw reads one complete reply (a reply pushed without a command, say,
// or the next of pipelined ones), within the deadline the last DoRaw set.
// On an error it returns what it read of the reply so far.
func (c *Conn) ReadRaw() ([]byte, error) {
	for {
		if len(c.in) > 0 {
			_, n, err := resp.ParseValue(c.in)
			if err != nil {
				out := c.in
				c.in = nil
				return out, err
			}
			if n > 0 {
				out := append([]byte(nil), c.in[:n]...)
				c.in = c.in[:copy(c.in, c.in[n:])]
				return out, nil
			}
		}
		if cap(c.in)-len(c.in) < readChunk {
			c.in = append(make([]byte, 0, 2*cap(c.in)+readChunk), c.in...)
		}
		k, err := c.c.Read(c.in[len(c.in):cap(c.in)])
		c.in = c.in[:len(c.in)+k]
		if err != nil && k == 0 {
			out := c.in
			c.in = nil
			return out, err
		}
	}
}

// Do sends one command and returns its parsed reply. An error reply is a
// value (Kind resp.Error), not an error: the error is for I/O and for
// bytes that are not RESP.
func (c *Conn) Do(args ...string) (resp.Value, error) {
	raw, err := c.DoRaw(args...)
	if err != nil {
		return resp.Value{}, fmt.Errorf("%v: %v (got %q)", args, err, raw)
	}
	v, _, err := resp.ParseValue(raw)
	if err != nil {
		return resp.Value{}, fmt.Errorf("%v: bad reply %q: %v", args, raw, err)
	}
	return v.Clone(), nil
}

// InfoField returns one field of INFO section ("" when absent); an error
// reply to INFO is an error.
func (c *Conn) InfoField(section, field string) (string, error) {
	v, err := c.Do("INFO", section)
	if err != nil {
		return "", err
	}
	if v.Kind == resp.Error {
		return "", fmt.Errorf("INFO %s: %s", section, v.Str)
	}
	return InfoValue(string(v.Str), field), nil
}

// InfoValue returns the value of field in info, the text of an INFO reply
// ("field:value" lines), or "".
func InfoValue(info, field string) string {
	for _, line := range strings.Split(info, "\r\n") {
		if k, val, ok := strings.Cut(line, ":"); ok && k == field {
			return val
		}
	}
	return ""
}
