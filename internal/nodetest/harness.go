package nodetest

import (
	"strconv"
	"testing"

	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/resp"
)

// Harness is one node driven in process through an Env.
type Harness struct {
	T    testing.TB
	Env  *Env
	Node *node.Node

	nextPort int
}

// New starts a node with cfg on a fresh Env seeded with 1.
func New(t testing.TB, cfg node.Config) *Harness { return NewSeeded(t, cfg, 1) }

// NewDefault is New with node.DefaultConfig(), for tests of packages that
// may not import the node (the checker's, which hold the node to its model).
func NewDefault(t testing.TB) *Harness { return New(t, node.DefaultConfig()) }

// NewSeeded is New with an explicit seed for the Env. As Redis's own test
// suite does (its default.conf), it turns enable-debug-command on when cfg
// leaves it at Redis's default, "no"; build the Harness by hand to test
// the refusal.
func NewSeeded(t testing.TB, cfg node.Config, seed uint64) *Harness {
	if cfg.EnableDebugCommand == "no" {
		cfg.EnableDebugCommand = "yes"
	}
	env := NewEnv(seed)
	n := node.New(cfg, env)
	env.Node = n
	return &Harness{T: t, Env: env, Node: n, nextPort: 50000}
}

// Conn accepts a new client connection and returns its ID.
func (h *Harness) Conn() node.ConnID {
	id := h.Env.NewConnID()
	h.nextPort++
	h.Node.OnAccept(id, "127.0.0.1:"+strconv.Itoa(h.nextPort))
	return id
}

// Do sends args as one RESP multibulk command on c and returns the raw
// bytes the node sent on c in response (background jobs included).
func (h *Harness) Do(c node.ConnID, args ...string) []byte {
	return h.DoRaw(c, resp.AppendCommandStrings(nil, args...))
}

// DoRaw feeds raw bytes on c and returns the raw bytes the node sent on c.
func (h *Harness) DoRaw(c node.ConnID, raw []byte) []byte {
	h.Node.OnData(c, raw)
	h.Env.RunJobs()
	return h.Env.Take(c)
}

// DoString is Do with the reply as a string, handy in assertions.
func (h *Harness) DoString(c node.ConnID, args ...string) string {
	return string(h.Do(c, args...))
}

// Tick runs the node's periodic work once.
func (h *Harness) Tick() {
	h.Node.Tick()
	h.Env.RunJobs()
}

// CloseConn tells the node that the peer closed c.
func (h *Harness) CloseConn(c node.ConnID) { h.Node.OnClosed(c, nil) }
