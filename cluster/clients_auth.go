package cluster

import (
	"maps"
	"slices"
	"strconv"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// Clients that authenticate badly, on purpose: some seeds run one or two
// next to the ordinary clients, against the master. Each connects without
// AUTH, with a wrong password, with the password that was valid before the
// last change (stale), or with the right one and later a wrong one
// (relapse); it hangs up and connects again every few operations, so its
// connections are made before and after password changes. Its operations
// are the workload's (they go in the master's history, where an error
// reply means no effect) and its AUTHs are operations too; each records how
// its connection was authenticated (checker.ConnAuth), from which the
// access check derives the replies the node owed it. An operation list
// records them, their AUTHs included, with their mode and redial count
// (OpList), and a run that replays one has exactly the list's: they send
// its operations, whatever the generator draws (a regression script must
// not change when the generator does).

// authMode is how a bad client authenticates.
type authMode uint8

const (
	authNone    authMode = iota // never sends AUTH
	authWrong                   // AUTH with a password no node ever has
	authStale                   // AUTH with the password before the last change
	authRelapse                 // AUTH right on connecting, later wrong
)

var authModeNames = [...]string{"none", "wrong", "stale", "relapse"}

// maxRedial bounds the operations a bad client of a list sends on one
// connection (a seed draws 1..4).
const maxRedial = 1000

// badAuth is a bad client's state: its mode and its current connection.
type badAuth struct {
	mode authMode
	// redial is how many operations it sends on a connection.
	redial int
	conn   *checker.ConnAuth
	dialAt sim.Time
	onConn int
	// authDue says the next operation is the AUTH of a new connection.
	authDue bool
}

// addBadAuthClients adds the seed's bad clients (stream "auth/clients"),
// each with a share of ops operations of its own.
func (h *Cluster) addBadAuthClients(ops int) {
	r := h.w.Rand("auth/clients")
	if !r.Chance(0.4) {
		return
	}
	for i, n := 0, 1+r.IntN(2); i < n; i++ {
		c := h.addClient("a"+strconv.Itoa(i+1), h.master, max(8, ops/16), false)
		c.replay, c.opsLeft = nil, max(8, ops/16)
		c.bad = &badAuth{mode: authMode(r.IntN(len(authModeNames))), redial: 1 + r.IntN(4)}
	}
}

// addListedBadClients adds the bad clients of the list being replayed, in
// name order (as addBadAuthClients made them: a1, a2).
func (h *Cluster) addListedBadClients() {
	l := h.opts.Replay
	for _, name := range slices.Sorted(maps.Keys(l.Auth)) {
		a := l.Auth[name]
		c := h.addClient(name, h.master, 0, false)
		c.bad = &badAuth{mode: authMode(slices.Index(authModeNames[:], a.Mode)), redial: a.Redial}
	}
}

// initialPass draws whether the seed's nodes require a password from the
// start (stream "auth/setup"), so that clients connecting without one are
// refused from the first operation, not only after a password change.
func (h *Cluster) initialPass() string {
	if h.w.Rand("auth/setup").Chance(0.3) {
		return "pw-initial"
	}
	return ""
}

// dialing notes when a bad client dials.
func (b *badAuth) dialing(now sim.Time) { b.dialAt = now }

// dialed starts a new connection's record.
func (c *simClient) badDialed() {
	b := c.bad
	b.conn = &checker.ConnAuth{Dial: int64(b.dialAt), Conn: int64(c.h.w.Now())}
	b.onConn = 0
	c.in = c.in[:0]
	b.authDue = b.mode != authNone && c.authPass() != ""
}

// authPass is the password a bad client sends on connecting ("" = none).
func (c *simClient) authPass() string {
	switch c.bad.mode {
	case authWrong:
		return "wrong-" + c.name
	case authStale:
		return c.h.stalePass
	case authRelapse:
		return c.h.pass
	}
	return ""
}

// badNext returns a bad client's next operation: the AUTH a new connection
// is due, sometimes another AUTH mid-connection (a relapsing client's is
// wrong, now and then the empty password), else one of the workload's.
func (c *simClient) badNext() checker.Op {
	if c.replay != nil {
		return c.replayed() // its AUTHs are in the list
	}
	b := c.bad
	if b.authDue {
		b.authDue = false
		return authOp(c.authPass())
	}
	if b.onConn > 0 && c.opsRng.IntN(8) == 0 {
		pass := c.authPass()
		if b.mode == authRelapse || pass == "" {
			pass = "wrong-" + c.name
			if b.onConn%2 == 0 {
				// The empty password, which Redis refuses like any wrong
				// one (or, with none set, as no password configured).
				// No draw of its own: the seed's other draws stay.
				pass = ""
			}
		}
		return authOp(pass)
	}
	op := c.h.workload.next(c)
	op.Quiet = "" // its replies follow the connection's AUTH, not CLIENT REPLY
	return op
}

func authOp(pass string) checker.Op {
	return checker.Op{Kind: checker.OpRead, Mode: "AUTH", Args: []string{"AUTH", pass}}
}

// badCompleted notes a bad client's reply; after its share of operations
// on a connection it hangs up (the next operation dials again).
func (c *simClient) badCompleted(op *checker.Op) {
	b := c.bad
	if op.IsAuth() && op.Err == "" {
		b.conn.AuthOK = true
	}
	b.onConn++
	if b.onConn >= b.redial && c.connected && c.opsLeft > 0 {
		c.h.w.Log().S(c.name).S(" hangs up").End()
		c.h.net.Close(c.conn)
		c.connected, c.dialing = false, false // OnData drops what is left of c.in
	}
}
