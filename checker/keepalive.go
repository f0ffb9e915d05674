package checker

import (
	"bytes"
	"fmt"
)

// The master's keepalive PING. Redis 7.0.15's replicationCron (replication.c)
// runs once a second from the first serverCron (run_with_period(1000)) and
// counts its runs in replication_cron_loops; on the runs that are a
// multiple of repl-ping-replica-period, while server.slaves holds any
// replica (online or still waiting for its snapshot), it feeds "PING" to
// them through replicationFeedSlaves, which a replica (masterhost set)
// never does. Its run 0 comes a millisecond after the start, before any
// replica can have attached, so it never pings there.

// PropKeepalive names the keepalive property: a master feeds its replicas
// a PING exactly on the replicationCron runs Redis would.
const PropKeepalive = "keepalive"

// KeepaliveRun is one replicationCron run of a node, with its state just
// before the serverCron tick it ran in.
type KeepaliveRun struct {
	Node string
	At   int64 // virtual ns
	// Run numbers the incarnation's replicationCron runs from 0.
	Run int64
	// From and To bound the Seq of what the tick recorded: the stream
	// chunks it fed have From < Seq <= To.
	From, To int
	// Master says the node was not a replica; Replicas is how many
	// replicas it had attached (INFO's connected_slaves); Period its
	// repl-ping-replica-period.
	Master   bool
	Replicas int
	Period   int64
	// Partial says the state above may not be the one the cron saw, or
	// the cron may not have run: the node was busy (DEBUG SLEEP) up to
	// this tick, so the events it held ran first, or it went down in the
	// tick (a shutdown finishing, a fatal AOF error), which Redis's
	// serverCron exits in before replicationCron.
	Partial bool
}

// KeepaliveInput is what the keepalive check reads: every node's
// replicationCron runs and every stream chunk.
type KeepaliveInput struct {
	Runs   []KeepaliveRun
	Chunks []StreamChunk
}

// replPing is the PING replicationCron feeds (shared.ping, lower case).
var replPing = []byte("*1\r\n$4\r\nping\r\n")

// ReplCronDue reports whether serverCron's run number cronloops (from 0)
// at hz runs replicationCron: Redis's run_with_period(1000).
func ReplCronDue(cronloops int64, hz int) bool {
	if hz <= 0 || hz > 1000 {
		return false
	}
	every := int64(1000 / hz)
	return every >= 1000 || cronloops%(1000/every) == 0
}

// pingDue reports whether Redis pings on run r in the given state.
func (r *KeepaliveRun) pingDue() bool {
	return r.Run > 0 && r.Master && r.Replicas > 0 && r.Period > 0 && r.Run%r.Period == 0
}

// CheckKeepalivePings checks every master PING in the stream against the
// replicationCron runs: each run feeds one exactly when Redis's would, and
// no PING enters a master's stream outside a run. A partial run is held
// only to at most one PING, and none on run 0.
func CheckKeepalivePings(in KeepaliveInput) []Violation {
	var out []Violation
	type span struct{ from, to int }
	pings := map[string][]StreamChunk{}
	var nodes []string
	for _, c := range in.Chunks {
		if !c.Replica && bytes.Equal(c.Data, replPing) {
			if pings[c.Node] == nil {
				nodes = append(nodes, c.Node)
			}
			pings[c.Node] = append(pings[c.Node], c)
		}
	}
	covered := map[string][]span{}
	for i := range in.Runs {
		r := &in.Runs[i]
		covered[r.Node] = append(covered[r.Node], span{r.From, r.To})
		got := 0
		for _, c := range pings[r.Node] {
			if c.Seq > r.From && c.Seq <= r.To {
				got++
			}
		}
		want := 0
		if r.pingDue() {
			want = 1
		}
		switch {
		case r.Partial && (got > 1 || got == 1 && r.Run == 0):
			out = append(out, Violation{Check: PropKeepalive, At: r.At, Nodes: []string{r.Node},
				Detail: fmt.Sprintf("%s fed %d PINGs to its replicas in replicationCron run %d (in a tick it woke into from a busy spell or went down in): Redis feeds at most one per run, and none in run 0",
					r.Node, got, r.Run)})
		case !r.Partial && got != want:
			out = append(out, Violation{Check: PropKeepalive, At: r.At, Nodes: []string{r.Node},
				Detail: fmt.Sprintf("%s fed %d PINGs to its replicas in replicationCron run %d, as %s with %d replicas attached and repl-ping-replica-period %d; Redis feeds %d (one on the runs after run 0 that are multiples of the period, while a master has replicas)",
					r.Node, got, r.Run, roleName(r.Master), r.Replicas, r.Period, want)})
		}
	}
	for _, node := range nodes {
		for _, c := range pings[node] {
			inRun := false
			for _, s := range covered[node] {
				if c.Seq > s.from && c.Seq <= s.to {
					inRun = true
					break
				}
			}
			if !inRun {
				out = append(out, Violation{Check: PropKeepalive, At: c.At, Nodes: []string{node}, ReplID: c.ReplID, Offsets: []int64{c.Start},
					Detail: fmt.Sprintf("%s fed a PING into its replication stream at offset %d outside any replicationCron run: only replicationCron feeds it", node, c.Start)})
			}
		}
	}
	return out
}

func roleName(master bool) string {
	if master {
		return "master"
	}
	return "replica"
}
