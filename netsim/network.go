package netsim

import (
	"fmt"
	"slices"

	"github.com/replsim/replsim/sim"
)

// ConnID names one end of a connection. The two ends of a connection have
// distinct IDs, and an ID is never reused within a Network. 0 is never an ID.
type ConnID uint64

// Handler receives a host's network events. netsim calls it from inside
// event Fire, so it may call back into the Network.
type Handler interface {
	// OnAccept reports a new inbound connection on this host's listener.
	OnAccept(port int, c ConnID)
	// OnDialed reports the outcome of this host's Dial: nil, ErrRefused or
	// ErrTimeout.
	OnDialed(c ConnID, err error)
	// OnData delivers bytes. p is valid only during the call.
	OnData(c ConnID, p []byte)
	// OnClosed reports the end of a connection: ErrEOF after the peer's
	// Close and all its data, or ErrReset.
	OnClosed(c ConnID, err error)
}

// Network is a set of simulated hosts and the connections between them.
type Network struct {
	w    *sim.World
	cfg  Config
	rng  *sim.Rand
	ends []*end // ends[id-1]

	hosts map[string]*host
	links map[linkKey]*link
	dials map[string]*dialFault
	held  []*end // ends whose pipe is held behind a cut, in hold order

	// OnFault, if set, is called when a fault takes effect. kind is one of
	// "net_reset", "net_partition", "net_oneway", "net_blackhole",
	// "net_latency", "net_dial_error".
	OnFault func(kind string, detail string)
}

type host struct {
	name    string
	h       Handler
	listens map[int]bool
	ends    []*end // ends owned by this host that may still be live
	epoch   uint64 // bumped by ResetHost; notices from before a crash are void
}

// New returns an empty network on w. cfg should pass Validate; fields out
// of range are clamped to the nearest valid value.
func New(w *sim.World, cfg Config) *Network {
	return &Network{
		w:     w,
		cfg:   cfg.clamped(),
		rng:   w.Rand("net"),
		hosts: make(map[string]*host),
		links: make(map[linkKey]*link),
		dials: make(map[string]*dialFault),
	}
}

// Config returns the configuration in effect (after clamping).
func (n *Network) Config() Config { return n.cfg }

// AddHost adds a host named name whose events go to h. Adding a name that
// exists replaces its handler, like SetHandler.
func (n *Network) AddHost(name string, h Handler) {
	if hs := n.hosts[name]; hs != nil {
		hs.h = h
		return
	}
	n.hosts[name] = &host{name: name, h: h, listens: make(map[int]bool)}
}

// SetHandler replaces the handler of host name (a process restart), adding
// the host if it is new. A nil handler makes the host refuse connections
// and drops its callbacks.
func (n *Network) SetHandler(name string, h Handler) { n.AddHost(name, h) }

// Listen makes host accept connections on port.
func (n *Network) Listen(hostName string, port int) error {
	hs := n.hosts[hostName]
	if hs == nil {
		return fmt.Errorf("netsim: listen %s:%d: unknown host %q", hostName, port, hostName)
	}
	if port < 1 || port > 65535 {
		return fmt.Errorf("netsim: listen %s:%d: port out of range 1-65535", hostName, port)
	}
	if hs.listens[port] {
		return fmt.Errorf("netsim: listen %s:%d: address already in use", hostName, port)
	}
	hs.listens[port] = true
	return nil
}

// Unlisten stops host accepting on port. Established connections stay.
func (n *Network) Unlisten(hostName string, port int) {
	if hs := n.hosts[hostName]; hs != nil {
		delete(hs.listens, port)
	}
}

func (n *Network) end(c ConnID) *end {
	if c == 0 || uint64(c) > uint64(len(n.ends)) {
		return nil
	}
	return n.ends[c-1]
}

// Peer returns the other end of c, or 0 if c is unknown.
func (n *Network) Peer(c ConnID) ConnID {
	if e := n.end(c); e != nil {
		return e.peer.id
	}
	return 0
}

// Host returns the name of the host that owns c, or "" if c is unknown.
func (n *Network) Host(c ConnID) string {
	if e := n.end(c); e != nil {
		return e.hostName
	}
	return ""
}

// Alive reports whether c is established and has not ended (closed,
// reset, or seen its peer's EOF).
func (n *Network) Alive(c ConnID) bool {
	e := n.end(c)
	return e != nil && e.state == stOpen
}

// Conns returns the live ends owned by host, in increasing order.
func (n *Network) Conns(hostName string) []ConnID {
	hs := n.hosts[hostName]
	if hs == nil {
		return nil
	}
	var out []ConnID
	for _, e := range hs.compact() {
		if e.state == stOpen {
			out = append(out, e.id)
		}
	}
	slices.Sort(out)
	return out
}

// compact drops ended ends from hs.ends and returns them sorted by ID.
func (hs *host) compact() []*end {
	live := hs.ends[:0]
	for _, e := range hs.ends {
		if e.state != stDone {
			live = append(live, e)
		}
	}
	clear(hs.ends[len(live):])
	hs.ends = live
	slices.SortFunc(live, func(a, b *end) int { return cmpID(a.id, b.id) })
	return live
}

func cmpID(a, b ConnID) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// fault reports a fault to OnFault.
func (n *Network) fault(kind, detail string) {
	if n.OnFault != nil {
		n.OnFault(kind, detail)
	}
}
