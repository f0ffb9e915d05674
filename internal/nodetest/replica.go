package nodetest

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/resp"
)

// Replica is a fake replica attached to the harness's node: it did a full
// sync and collects the replication stream that follows.
type Replica struct {
	h    *Harness
	Conn node.ConnID
	buf  []byte
}

// Replica attaches a fake replica with `PSYNC ? -1` and consumes the
// +FULLRESYNC line and the RDB payload, so Commands returns only what the
// node propagates afterwards.
func (h *Harness) Replica() *Replica {
	h.T.Helper()
	r := &Replica{h: h, Conn: h.Conn()}
	h.Do(r.Conn, "REPLCONF", "capa", "psync2")
	out := h.Do(r.Conn, "PSYNC", "?", "-1")
	rest, err := skipFullSync(out)
	if err != nil {
		h.T.Fatalf("nodetest: replica full sync: %v (got %q)", err, truncate(out, 200))
	}
	r.buf = rest
	return r
}

// skipFullSync strips "+FULLRESYNC ...\r\n", keepalive newlines and a
// "$<len>\r\n<rdb>" payload from the start of p.
func skipFullSync(p []byte) ([]byte, error) {
	i := bytes.Index(p, []byte("\r\n"))
	if i < 0 || !bytes.HasPrefix(p, []byte("+FULLRESYNC ")) {
		return nil, fmt.Errorf("no +FULLRESYNC line")
	}
	p = p[i+2:]
	for len(p) > 0 && p[0] == '\n' {
		p = p[1:]
	}
	if len(p) == 0 || p[0] != '$' {
		return nil, fmt.Errorf("no RDB payload after +FULLRESYNC")
	}
	j := bytes.Index(p, []byte("\r\n"))
	if j < 0 {
		return nil, fmt.Errorf("unterminated RDB length line")
	}
	size, err := strconv.Atoi(string(p[1:j]))
	if err != nil || size < 0 || j+2+size > len(p) {
		return nil, fmt.Errorf("bad or truncated RDB payload length %q", p[1:j])
	}
	return p[j+2+size:], nil
}

// Commands returns the commands propagated to the replica since the last
// call, each as its argument strings. SELECT and the master's periodic
// ping are included as sent.
func (r *Replica) Commands() [][]string {
	r.h.T.Helper()
	r.buf = append(r.buf, r.h.Env.Take(r.Conn)...)
	var out [][]string
	for len(r.buf) > 0 {
		if r.buf[0] == '\n' { // keepalive
			r.buf = r.buf[1:]
			continue
		}
		v, k, err := resp.ParseValue(r.buf)
		if err != nil {
			r.h.T.Fatalf("nodetest: bad replication stream: %v (at %q)", err, truncate(r.buf, 200))
		}
		if k == 0 {
			break
		}
		r.buf = r.buf[k:]
		var cmd []string
		for _, a := range v.Array {
			cmd = append(cmd, string(a.Str))
		}
		out = append(out, cmd)
	}
	return out
}

func truncate(p []byte, n int) []byte {
	if len(p) > n {
		return p[:n]
	}
	return p
}
