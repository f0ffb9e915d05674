package checker

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/tap"
)

// DEBUG RELOAD saves the RDB and loads it back (Redis's debug.c): the
// dataset must come back as it was. Only a master drops, at the load, keys
// whose TTL has passed (rdbLoad's iAmMaster rule); NOFLUSH MERGE loads the
// file over the dataset it came from. An error reply from the save (a disk
// fault) means nothing was flushed: the dataset is unchanged too. A failed
// load ("Error trying to load the RDB dump") leaves whatever it loaded,
// which is not judged. A node under maxmemory evicts before it runs any
// command, DEBUG included (processCommand's performEvictions): the keys it
// evicted as the reload came in are gone from the file it saves, so from
// the dataset it loads (seeds 1127, 1442).
//
// The operator's NOSAVE reloads come just after a SAVE, so the file on
// disk is the dataset and must come back as it was too. DEBUG LOADAOF
// writes the AOF buffer out and loads the AOF back: the dataset must come
// back as it was, expired keys included (an AOF load expires nothing:
// keyIsExpired is false while loading; expiry comes later), and its AOF
// files must hold exactly what they and the buffer held before: the load
// feeds nothing to the AOF.

// Reload is one DEBUG RELOAD an operator ran: the node's dataset just
// before and just after, whether it was a master, and its reply.
type Reload struct {
	At     int64
	Node   string
	Args   []string
	Master bool
	Reply  string
	Before []tap.KeyValue
	After  []tap.KeyValue
	// Evicted are the keys (DB and Key) the node evicted under maxmemory
	// as the command came in, before it ran.
	Evicted []tap.KeyValue
	// AOFBytesBefore is, for a LOADAOF, the size of the files its AOF
	// manifest named plus its AOF buffer just before; AOFBytesAfter that
	// size just after (-1: not known).
	AOFBytesBefore, AOFBytesAfter int64
	// Logged are the node's log lines while the command ran.
	Logged []LogLine
}

// evictionAOFBytes bounds what the evictions as a command came in (before
// it ran) fed the AOF: each key's DEL, after a SELECT of its db when the
// AOF's db was another (gate seed 3653: an eviction before DEBUG LOADAOF,
// whose DEL the command then wrote out with the rest of the buffer).
func evictionAOFBytes(evicted []tap.KeyValue) int64 {
	var n int64
	for _, e := range evicted {
		n += int64(len(resp.AppendCommandStrings(nil, "SELECT", strconv.Itoa(e.DB))) + len(resp.AppendCommandStrings(nil, "DEL", e.Key)))
	}
	return n
}

// loadFailed starts the error DEBUG RELOAD answers when the load fails.
const loadFailed = "ERR Error trying to load the RDB dump"

// CheckReloads checks every DEBUG RELOAD left the dataset as it found it.
func CheckReloads(rs []Reload) []Violation {
	agg := newAggregator()
	for i := range rs {
		r := &rs[i]
		if strings.HasPrefix(r.Reply, loadFailed) {
			continue
		}
		if r.AOFBytesBefore >= 0 && r.AOFBytesAfter >= 0 && (r.AOFBytesAfter < r.AOFBytesBefore || r.AOFBytesAfter > r.AOFBytesBefore+evictionAOFBytes(r.Evicted)) {
			agg.addV("reload-aof/"+r.Node, Violation{Detail: fmt.Sprintf(
				"%s on %s at %s (answered %s) left %d bytes in its AOF files, where they and its AOF buffer held %d just before: Redis writes the buffer out and loads the files without feeding the AOF (the load's commands run with no propagation)",
				strings.Join(r.Args, " "), r.Node, seconds(r.At), r.Reply, r.AOFBytesAfter, r.AOFBytesBefore),
				At: r.At, Nodes: []string{r.Node}})
		}
		if d := reloadCounts(r); d != "" {
			agg.addV("reload-count/"+r.Node, Violation{Detail: fmt.Sprintf(
				"%s on %s at %s (answered %s): %s",
				strings.Join(r.Args, " "), r.Node, seconds(r.At), r.Reply, d),
				At: r.At, Nodes: []string{r.Node}})
		}
		if d := reloadDiff(r); d != "" {
			agg.addV("reload/"+r.Node, Violation{Detail: fmt.Sprintf(
				"%s on %s at %s (answered %s) changed the dataset: %s",
				strings.Join(r.Args, " "), r.Node, seconds(r.At), r.Reply, d),
				At: r.At, Nodes: []string{r.Node}})
		}
	}
	return agg.violations(PropDurability)
}

// reloadDiff says how r's dataset after differs from before beyond what
// the load may drop ("" if it does not).
func reloadDiff(r *Reload) string {
	type dk struct {
		db  int
		key string
	}
	after := make(map[dk]tap.KeyValue, len(r.After))
	for _, kv := range r.After {
		after[dk{kv.DB, kv.Key}] = kv
	}
	evicted := make(map[dk]bool, len(r.Evicted))
	for _, kv := range r.Evicted {
		evicted[dk{kv.DB, kv.Key}] = true
	}
	for _, b := range r.Before {
		k := dk{b.DB, b.Key}
		a, ok := after[k]
		delete(after, k)
		switch {
		case !ok && r.Master && b.ExpireAt != 0 && r.Reply == "OK" && !r.loadAOF():
			// Maybe expired by the load: the record has no clock to say.
		case !ok && evicted[k]:
		case !ok:
			return fmt.Sprintf("key %q of db %d is gone", b.Key, b.DB)
		case a != b:
			return fmt.Sprintf("key %q of db %d was %s, is %s", b.Key, b.DB, kvString(b), kvString(a))
		}
	}
	for _, a := range r.After {
		if _, ok := after[dk{a.DB, a.Key}]; ok {
			return fmt.Sprintf("key %q of db %d appeared (%s)", a.Key, a.DB, kvString(a))
		}
	}
	return ""
}

// reloadCounts says how r's "Done loading RDB, keys loaded: L, keys
// expired: E." line miscounts the file it loaded ("" if it does not): the
// file is the dataset before, less what the command's evictions took, and
// rdbLoad counts each of its keys once, as loaded or (on a master only)
// as expired.
func reloadCounts(r *Reload) string {
	if r.Reply != "OK" || r.loadAOF() {
		return ""
	}
	evicted := map[[2]string]bool{}
	for _, kv := range r.Evicted {
		evicted[[2]string{strconv.Itoa(kv.DB), kv.Key}] = true
	}
	file := 0
	for _, kv := range r.Before {
		if !evicted[[2]string{strconv.Itoa(kv.DB), kv.Key}] {
			file++
		}
	}
	for _, l := range r.Logged {
		if l.Format != logRDBLoaded || len(l.Args) != 2 {
			continue
		}
		loaded, err1 := strconv.Atoi(l.Args[0])
		expired, err2 := strconv.Atoi(l.Args[1])
		switch {
		case err1 != nil || err2 != nil:
		case loaded+expired != file:
			return fmt.Sprintf("it logged %q, where the file it saved held %d keys (rdbLoad counts each key of the file once)", l.Msg, file)
		case !r.Master && expired != 0:
			return fmt.Sprintf("it logged %q as a replica, which loads keys whose TTL has passed (rdbLoad skips them only on a master)", l.Msg)
		}
		return ""
	}
	return ""
}

// loadAOF says whether r is a DEBUG LOADAOF (not an RDB reload).
func (r *Reload) loadAOF() bool {
	return len(r.Args) >= 2 && strings.EqualFold(r.Args[1], "LOADAOF")
}

// kvString renders a key's value for a violation.
func kvString(kv tap.KeyValue) string {
	s := fmt.Sprintf("%q", kv.Value)
	if kv.Type != "" {
		s = kv.Type + " " + s
	}
	if kv.ExpireAt != 0 {
		s += fmt.Sprintf(" expiring at %d ms", kv.ExpireAt)
	} else {
		s += " with no TTL"
	}
	return s
}
