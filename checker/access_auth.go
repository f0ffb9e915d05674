package checker

import (
	"fmt"
	"strconv"
)

// AuthState is a node's live authentication settings from At on: the
// harness records one whenever they change on a live node and whenever the
// node starts (Start), since a start drops every connection it had.
type AuthState struct {
	At          int64
	Node        string
	MasterAuth  string // "" = none: the replica sends no AUTH
	RequirePass string // "" = none
	Start       bool
}

// checkMasterAuth checks every full resync against the passwords in force
// during its handshake. As in Redis, a replica with a masterauth sends
// AUTH and gives up on any error reply: the master refuses it unless its
// requirepass is that password (a master with no password answers "AUTH
// <password> called without any password configured"); a replica with no
// masterauth gets NOAUTH on PSYNC from a master with a password. So a
// resync may complete only if the replica sent, at some instant, the
// password its master required at that instant or later (the master reads
// the AUTH after it was sent), or sent no AUTH on a connection accepted
// while the master had no password. The handshake began after the replica's
// previous full resync, its last start, and the last reset of its master
// link under a wrong masterauth (LinkResets).
func checkMasterAuth(in AccessInput, agg *aggregator) {
	if len(in.AuthStates) == 0 {
		return
	}
	byNode := map[string][]AuthState{}
	for _, s := range in.AuthStates {
		byNode[s.Node] = append(byNode[s.Node], s)
	}
	lastSync := map[string]int64{}
	for _, f := range in.FullSyncs {
		from, why := int64(-1), ""
		if t, ok := lastSync[f.Node]; ok {
			from, why = t, "its previous full resync"
		}
		lastSync[f.Node] = f.At
		for _, s := range byNode[f.Node] {
			if s.Start && s.At > from && s.At <= f.At {
				from, why = s.At, "it started"
			}
		}
		for _, a := range in.LinkResets {
			if a.Node == f.Node && a.At > from && a.At <= f.At {
				from, why = a.At, "its master link was reset with a wrong masterauth"
			}
		}
		rep, ok1 := authSpan(byNode[f.Node], from, f.At)
		mas, ok2 := authSpan(byNode[f.Master], from, f.At)
		if !ok1 || !ok2 {
			continue // a node's settings are unknown there
		}
		matched := false
		for _, r := range rep {
			for _, m := range mas {
				if r.MasterAuth == m.RequirePass && r.At <= m.until {
					matched = true
				}
				// A connection accepted while the master had no password is
				// authenticated from its creation (Redis keeps it so when
				// requirepass changes): a replica that then sends no AUTH
				// passes, whatever the master requires by then.
				if r.MasterAuth == "" && m.RequirePass == "" && r.until >= m.At {
					matched = true
				}
			}
		}
		if matched {
			continue
		}
		since := "the run began"
		if from >= 0 {
			since = why + " at " + seconds(from)
		}
		agg.addV("masterauth/"+f.Node, Violation{Detail: fmt.Sprintf(
			"replica %s completed a full resync from %s at %s, but since %s its masterauth (%s) never was %s's requirepass (%s): its AUTH should have been refused and the handshake aborted",
			f.Node, f.Master, seconds(f.At), since, authValues(rep, func(s spanState) string { return s.MasterAuth }),
			f.Master, authValues(mas, func(s spanState) string { return s.RequirePass })),
			At: f.At, Nodes: []string{f.Node, f.Master}, ReplID: f.ReplID, Offsets: []int64{f.Offset}})
	}
}

// spanState is a node's settings over [At, until] within a window.
type spanState struct {
	AuthState
	until int64
}

// authSpan lists node's settings over the window (from, to]; ok is false
// when nothing is known of the node right after from. A setting replaced
// at the very instant from (the fault that reset the link) is not in it.
func authSpan(states []AuthState, from, to int64) ([]spanState, bool) {
	var out []spanState
	for i, s := range states {
		if s.At > to {
			break
		}
		end := to
		if i+1 < len(states) && states[i+1].At < to {
			end = states[i+1].At
		}
		if end <= from {
			continue
		}
		ss := spanState{AuthState: s, until: end}
		ss.At = max(s.At, from)
		out = append(out, ss)
	}
	return out, len(out) > 0 && out[0].At <= max(from, 0)
}

func authValues(ss []spanState, f func(spanState) string) string {
	out := ""
	seen := map[string]bool{}
	for _, s := range ss {
		v := f(s)
		if seen[v] {
			continue
		}
		seen[v] = true
		if out != "" {
			out += ", then "
		}
		if v == "" {
			out += "none"
		} else {
			out += strconv.Quote(v)
		}
	}
	return out
}
