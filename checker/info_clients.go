package checker

import (
	"fmt"
	"strconv"
	"strings"
)

// PropInfoClients names the rule on INFO's clients section.
const PropInfoClients = "info_clients"

// CheckInfoClients judges the clients section of every INFO reply a client
// read: Redis 7.0.15 counts in blocked_clients (server.blocked_clients)
// clients that are among its connected_clients (the clients that are not
// replicas), so 0 <= blocked_clients <= connected_clients, and the asking
// client is one of those: connected_clients >= 1. The upper bound is not
// judged: the harness's operator consoles are the node's internal
// clients, which block (a SHUTDOWN waiting for replicas) without counting
// as connected (seed 6100048).
func CheckInfoClients(ops []Op) []Violation {
	agg := newAggregator()
	for i := range ops {
		op := &ops[i]
		if op.Kind != OpRead || len(op.Args) == 0 || !strings.EqualFold(op.Args[0], "INFO") || op.Unknown || op.Err != "" ||
			!strings.Contains(op.Reply, "# Clients") {
			continue
		}
		fields := infoFields(strings.ReplaceAll(op.Reply, `\r\n`, "\r\n"))
		connected, err1 := strconv.ParseInt(fields["connected_clients"], 10, 64)
		blocked, err2 := strconv.ParseInt(fields["blocked_clients"], 10, 64)
		var why string
		switch {
		case err1 != nil || err2 != nil:
			why = fmt.Sprintf("connected_clients %q and blocked_clients %q are not both integers", fields["connected_clients"], fields["blocked_clients"])
		case connected < 1:
			why = fmt.Sprintf("connected_clients is %d, but the client that asked is connected", connected)
		case blocked < 0:
			why = fmt.Sprintf("blocked_clients is %d: Redis counts the blocked clients", blocked)
		default:
			continue
		}
		agg.addV(op.Node, Violation{At: op.Return, Nodes: []string{op.Node}, Ops: []OpRef{op.Ref()},
			Detail: fmt.Sprintf("%s answered client %d's INFO (%s..%s): %s", op.Node, op.Client, seconds(op.Call), seconds(op.Return), why)})
	}
	return agg.violations(PropInfoClients)
}
