package cluster

import (
	"math"
	"sort"

	"github.com/replsim/replsim/checker"
)

// ReportData is what a run's report draws beyond the histories and the
// timeline: the names the cluster gave its nodes and clients, every node's
// role over time, who the cluster treated as master when, and where every
// node stood in which replication history.
type ReportData struct {
	// Nodes are the node names in start order.
	Nodes []string
	// Clients are the client names (c1.., r1..) by checker.Op.Client.
	Clients []string
	// Roles is every node's observed role ("master", "slave", "down")
	// over time.
	Roles []checker.RoleChange
	// Masters are the master epochs: the node the cluster sent its
	// master clients to, from..to ("" for none, after a demotion).
	Masters []MasterSpan
	// Repl is every change of a node's replication position, in order.
	Repl []ReplPoint
}

// MasterSpan is one master epoch. To is math.MaxInt64 for the last one.
type MasterSpan struct {
	Node     string
	Epoch    int
	From, To int64
}

// How a node's replication position changed (ReplPoint.Kind).
const (
	ReplWrite   = "write"   // as a master it wrote to its stream
	ReplApply   = "apply"   // as a replica it applied its master's stream
	ReplSync    = "sync"    // it loaded a full resync from Master
	ReplPromote = "promote" // SLAVEOF NO ONE started a new history
	ReplRestart = "restart" // it restarted from its files
)

// ReplPoint is where a node stood in a replication history after an
// event: history ReplID at Offset.
type ReplPoint struct {
	At     int64
	Node   string
	Kind   string
	ReplID string
	Offset int64
	// Master is the node a full resync came from.
	Master string
}

// ReportData returns what the report of this run draws.
func (h *Cluster) ReportData() ReportData {
	d := ReportData{Nodes: h.NodeNames(), Roles: h.roles()}
	d.Clients = make([]string, len(h.clients))
	for i, c := range h.clients {
		d.Clients[i] = c.name
	}
	for _, m := range h.masterships() {
		d.Masters = append(d.Masters, MasterSpan{Node: m.node, Epoch: m.epoch, From: m.from, To: m.to})
	}
	type seqPoint struct {
		seq int
		p   ReplPoint
	}
	var pts []seqPoint
	for i := range h.rec.chunks {
		c := &h.rec.chunks[i]
		kind := ReplWrite
		if c.Replica {
			kind = ReplApply
		}
		pts = append(pts, seqPoint{c.Seq, ReplPoint{At: c.At, Node: c.Node, Kind: kind, ReplID: c.ReplID, Offset: c.End()}})
	}
	for _, f := range h.rec.syncs {
		pts = append(pts, seqPoint{f.Seq, ReplPoint{At: f.At, Node: f.Node, Kind: ReplSync, ReplID: f.ReplID, Offset: f.Offset, Master: f.Master}})
	}
	for _, p := range h.rec.promotions {
		pts = append(pts, seqPoint{p.Seq, ReplPoint{At: p.At, Node: p.Node, Kind: ReplPromote, ReplID: p.Now.ReplID, Offset: p.Now.Offset}})
	}
	for _, r := range h.rec.restarts {
		pts = append(pts, seqPoint{r.Seq, ReplPoint{At: r.RestartAt, Node: r.Node, Kind: ReplRestart, ReplID: r.Repl.ReplID, Offset: r.Repl.Offset}})
	}
	// Each record is appended with the next sequence number, so a merge
	// by it restores the order they happened in.
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].seq < pts[j].seq })
	d.Repl = make([]ReplPoint, len(pts))
	for i, p := range pts {
		d.Repl[i] = p.p
	}
	return d
}

// Open reports whether the span lasts to the end of the run.
func (m MasterSpan) Open() bool { return m.To == math.MaxInt64 }
