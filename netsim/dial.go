package netsim

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/replsim/replsim/sim"
)

type dialFault struct {
	err   error
	count int
}

// Dial starts a connection from host from to addr ("host:port") and
// returns the dialer's end. Later, the listener's host gets OnAccept and
// then from gets OnDialed(c, nil); or from gets OnDialed(c, ErrRefused) (no
// such host, no listener, malformed addr) or OnDialed(c, ErrTimeout) (the
// SYN met a cut or blackhole). Dial from an unknown host returns 0.
func (n *Network) Dial(from string, addr string) ConnID {
	hf := n.hosts[from]
	if hf == nil {
		n.w.Log().S("net dial from unknown host ").S(from).S(" to ").S(addr).End()
		return 0
	}
	toName, port, aerr := splitAddr(addr)
	pr := &pair{}
	x, y := &pr.a, &pr.b
	base := ConnID(len(n.ends))
	*x = end{n: n, id: base + 1, state: stDialing, hostName: from, host: hf, peer: y, addr: addr, port: port}
	*y = end{n: n, id: base + 2, state: stPending, hostName: toName, peer: x, addr: addr, port: port}
	x.link = n.link(from, toName)
	y.link = n.link(toName, from)
	x.out.gated = true
	n.ends = append(n.ends, x, y)
	hf.ends = append(hf.ends, x)
	n.traceIDs("net dial "+from+"->"+addr+" #", x).End()
	n.w.After(n.cfg.DialTimeout, sim.EventFunc(func(*sim.World) { n.dialTimeout(x) }))

	if aerr != nil {
		y.state = stDone
		err := fmt.Errorf("netsim: dial %q from %s: %v: %w", addr, from, aerr, ErrRefused)
		n.w.After(n.cfg.LocalDelay, sim.EventFunc(func(*sim.World) { n.refuse(x, err) }))
		return x.id
	}
	if df := n.dials[toName]; df != nil && df.count > 0 {
		df.count--
		n.fault("net_dial_error", from+"->"+addr+" "+errName(df.err))
		y.state = stDone
		if df.err == ErrRefused {
			rtt := x.link.latency() + y.link.latency()
			n.w.After(rtt, sim.EventFunc(func(*sim.World) { n.refuse(x, ErrRefused) }))
		}
		return x.id
	}
	n.w.After(x.link.latency(), sim.EventFunc(func(*sim.World) { n.syn(x) }))
	return x.id
}

// syn is the dialer's SYN arriving at the listener's host.
func (n *Network) syn(x *end) {
	y := x.peer
	if x.state != stDialing || y.state != stPending {
		n.traceIDs("net syn dropped "+x.hostName+"->"+x.addr+" #", x).End()
		y.state = stDone
		return
	}
	if x.link.cut || x.link.blackhole || y.link.cut || y.link.blackhole {
		n.traceIDs("net syn lost "+x.hostName+"->"+x.addr+" #", x).End()
		y.state = stDone
		return
	}
	hs := n.hosts[y.hostName]
	if hs == nil || hs.h == nil || !hs.listens[y.port] {
		n.traceIDs("net syn refused "+x.hostName+"->"+x.addr+" #", x).End()
		y.state = stDone
		n.w.After(y.link.latency(), sim.EventFunc(func(*sim.World) { n.refuse(x, ErrRefused) }))
		return
	}
	y.state = stOpen
	y.host = hs
	hs.ends = append(hs.ends, y)
	y.out.push(seg{at: n.arrival(y.link, &y.out, 0), kind: segSynAck})
	n.arm(y)
	n.traceIDs("net accept "+x.hostName+"->"+x.addr+" #", x).End()
	hs.h.OnAccept(y.port, y.id)
}

// refuse fails x's dial with err unless it already ended.
func (n *Network) refuse(x *end, err error) {
	if x.state != stDialing {
		return
	}
	n.w.Log().S("net refused ").S(x.hostName).S("->").S(x.addr).S(" #").U(uint64(x.id)).End()
	x.state = stDone
	x.out.reset(n.w.Now())
	if h := x.host.h; h != nil {
		h.OnDialed(x.id, err)
	}
}

// dialTimeout fails x's dial with ErrTimeout if the handshake has not
// completed; an acceptor end that exists is reset.
func (n *Network) dialTimeout(x *end) {
	if x.state != stDialing {
		return
	}
	n.w.Log().S("net dial timeout ").S(x.hostName).S("->").S(x.addr).S(" #").U(uint64(x.id)).End()
	now := n.w.Now()
	x.state = stDone
	x.out.reset(now)
	y := x.peer
	y.out.reset(now)
	switch y.state {
	case stPending:
		y.state = stDone
	case stOpen:
		y.state = stDone
		n.notify(y, false)
	}
	if h := x.host.h; h != nil {
		h.OnDialed(x.id, ErrTimeout)
	}
}

// FailDials makes the next count dials to host to fail with err, which must
// be ErrRefused or ErrTimeout. It replaces any earlier setting for to;
// count 0 clears it.
func (n *Network) FailDials(to string, err error, count int) error {
	if err != ErrRefused && err != ErrTimeout {
		return fmt.Errorf("netsim: fail dials to %s: error %v is neither ErrRefused nor ErrTimeout", to, err)
	}
	if count < 0 {
		return fmt.Errorf("netsim: fail dials to %s: count %d is negative", to, count)
	}
	n.dials[to] = &dialFault{err: err, count: count}
	n.w.Log().S("net fail-dials ").S(to).S(" ").S(errName(err)).S(" x").I(int64(count)).End()
	return nil
}

func errName(err error) string {
	switch {
	case errors.Is(err, ErrRefused):
		return "refused"
	case errors.Is(err, ErrTimeout):
		return "timeout"
	case errors.Is(err, ErrReset):
		return "reset"
	case errors.Is(err, ErrEOF):
		return "eof"
	}
	return "error"
}

// splitAddr parses "host:port".
func splitAddr(addr string) (string, int, error) {
	i := strings.LastIndexByte(addr, ':')
	if i <= 0 {
		return addr, 0, errors.New("address is not host:port")
	}
	port, err := strconv.Atoi(addr[i+1:])
	if err != nil || port < 1 || port > 65535 {
		return addr[:i], 0, fmt.Errorf("port %q is not in 1-65535", addr[i+1:])
	}
	return addr[:i], port, nil
}

func utoa(v uint64) string { return strconv.FormatUint(v, 10) }
