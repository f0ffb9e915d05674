package checker

import "fmt"

// WaitProbeHost is the host name of the WAIT probe's client.
const WaitProbeHost = "probe"

// WaitProbe is the WAIT probe of the steady tail (cluster/probe_wait.go):
// SET ProbeKey, then WAIT Asked TimeoutMs, on the master Node.
type WaitProbe struct {
	Node      string
	Sent, At  int64 // when the requests left, when WAIT's reply came
	Asked     int
	TimeoutMs int
	// Reply is WAIT's count (-1: not an integer); Err the first error
	// reply (AUTH or SET refused), if any.
	Reply int
	Err   string
	// PingPipelined says a PING went out in the same write behind the
	// WAIT; PingAt is when its reply came (-1: none did).
	PingPipelined bool
	PingAt        int64
}

// pingGraceNs is how long after WAIT's reply the probe allows its
// pipelined PING's reply to come: it runs in the same event as the
// WAIT's answer, so only the healthy link's latency and segmenting
// delay it.
const pingGraceNs = 500 * 1e6

// CheckWaitProbe: a WAIT counts every replica whose link to the master
// stayed up through the steady tail (links: the tail's steady links).
// Redis's WAIT has the master ask its replicas for an ACK before it
// sleeps (REPLCONF GETACK *, replicationRequestAckFromSlaves), and a
// healthy replica answers at once: its count cannot depend on the
// replicas' once-a-second ACK.
func CheckWaitProbe(p *WaitProbe, steady SteadyInput) []Violation {
	if p == nil || p.Err != "" {
		return nil
	}
	var out []Violation
	if p.PingPipelined && p.Reply >= 0 && p.PingAt < 0 && p.At+pingGraceNs <= steady.To {
		out = append(out, Violation{Check: PropLiveness, At: p.At, Nodes: []string{p.Node},
			Detail: fmt.Sprintf("the WAIT probe's PING, pipelined behind WAIT %d %d on %s at %s, got no reply by the steady tail's end (%s) though the WAIT was answered at %s: a client unblocked from WAIT runs the input waiting behind it at once",
				p.Asked, p.TimeoutMs, p.Node, seconds(p.Sent), seconds(steady.To), seconds(p.At))})
	}
	var healthy []string
	for _, l := range steady.Links {
		if l.Master == p.Node {
			healthy = append(healthy, l.Replica)
		}
	}
	if p.TimeoutMs == 0 && p.Reply >= 0 && p.Reply < p.Asked {
		return append(out, Violation{Check: PropLiveness, At: p.At, Nodes: []string{p.Node},
			Detail: fmt.Sprintf("the WAIT probe (SET then WAIT %d 0 on %s at %s) was answered %d at %s: a WAIT without a timeout returns only once it has its count (or by CLIENT UNBLOCK, which the probe's client never gets)",
				p.Asked, p.Node, seconds(p.Sent), p.Reply, seconds(p.At))})
	}
	if p.Reply >= min(len(healthy), p.Asked) {
		return out
	}
	return append(out, Violation{Check: PropLiveness, At: p.At, Nodes: append([]string{p.Node}, healthy...),
		Detail: fmt.Sprintf("the WAIT probe (SET then WAIT %d %d on %s at %s, after convergence, no fault) counted %d replicas at %s, but %d replicas (%v) kept a healthy link to %s through the steady tail: a master asks its replicas for an ACK (REPLCONF GETACK) when a client waits, and they answer within a round trip",
			p.Asked, p.TimeoutMs, p.Node, seconds(p.Sent), p.Reply, seconds(p.At), len(healthy), healthy, p.Node)})
}
