package node

import (
	"strconv"

	"github.com/replsim/replsim/node/intset"
	"github.com/replsim/replsim/node/listpack"
	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/node/resp"
)

// With aof-use-rdb-preamble no, an AOF rewrite writes its base as
// commands, as Redis's rewriteAppendOnlyFileRio does: a "#TS:" annotation
// first when aof-timestamp-enabled is on, then per non-empty db a SELECT
// and per key SET / RPUSH / SADD / ZADD / HMSET (at most 64 items a
// command, AOF_REWRITE_ITEMS_PER_CMD) and PEXPIREAT for a key with a TTL.

// aofRewriteItemsPerCmd is AOF_REWRITE_ITEMS_PER_CMD.
const aofRewriteItemsPerCmd = 64

// aofBaseFormat says how the next AOF base is written.
type aofBaseFormat struct {
	rdb       bool
	opts      rdb.Options
	timestamp int64 // Unix seconds for the #TS: line; 0 for none
	oneSelect bool  // BugAofBaseOneSelect
}

// aofBaseFormatNow is the format the settings ask for now.
func (n *Node) aofBaseFormatNow() aofBaseFormat {
	f := aofBaseFormat{rdb: n.cfg.AofUseRdbPreamble, opts: n.rdbOptions(), oneSelect: n.bug(BugAofBaseOneSelect)}
	if n.cfg.AofTimestampEnabled {
		f.timestamp = n.nowSec()
	}
	return f
}

// ext is the base file's name suffix.
func (f aofBaseFormat) ext() string {
	if f.rdb {
		return "rdb"
	}
	return "aof"
}

// encode writes snap as a base file. It reads only snap: a background job
// may run it.
func (f aofBaseFormat) encode(snap *rdb.Snapshot) []byte {
	if f.rdb {
		return rdb.Append(nil, snap, f.opts)
	}
	var b []byte
	if f.timestamp != 0 {
		b = append(b, "#TS:"+strconv.FormatInt(f.timestamp, 10)+"\r\n"...)
	}
	selected := false
	for _, db := range snap.DBs {
		if len(db.Entries) == 0 {
			continue
		}
		if !f.oneSelect || !selected {
			b = resp.AppendCommandStrings(b, "SELECT", strconv.Itoa(db.Index))
			selected = true
		}
		for i := range db.Entries {
			b = appendEntryCommands(b, &db.Entries[i])
		}
	}
	return b
}

func appendEntryCommands(b []byte, e *rdb.Entry) []byte {
	switch e.Type {
	case rdb.TypeString:
		b = resp.AppendCommandStrings(b, "SET", e.Key, string(e.Value))
	case rdb.TypeListQuicklist2:
		var items []string
		for _, nd := range e.Nodes {
			if nd.Plain {
				items = append(items, string(nd.Data))
				continue
			}
			items = append(items, listpackStrings(nd.Data)...)
		}
		b = appendBatched(b, "RPUSH", e.Key, items, 1)
	case rdb.TypeSet:
		b = appendBatched(b, "SADD", e.Key, e.Items, 1)
	case rdb.TypeSetIntset:
		items := make([]string, intset.Len(e.Value))
		for i := range items {
			items[i] = strconv.FormatInt(intset.Get(e.Value, i), 10)
		}
		b = appendBatched(b, "SADD", e.Key, items, 1)
	case rdb.TypeHash:
		b = appendBatched(b, "HMSET", e.Key, e.Items, 2)
	case rdb.TypeHashListpack:
		b = appendBatched(b, "HMSET", e.Key, listpackStrings(e.Value), 2)
	case rdb.TypeZset2:
		items := make([]string, 0, 2*len(e.Items))
		for i, m := range e.Items {
			items = append(items, formatScore(e.Scores[i]), m)
		}
		b = appendBatched(b, "ZADD", e.Key, items, 2)
	case rdb.TypeZsetListpack:
		lp := listpackStrings(e.Value)
		items := make([]string, 0, len(lp))
		for i := 0; i+1 < len(lp); i += 2 {
			items = append(items, lp[i+1], lp[i]) // score, member
		}
		b = appendBatched(b, "ZADD", e.Key, items, 2)
	}
	if e.ExpireAtMs != 0 {
		b = resp.AppendCommandStrings(b, "PEXPIREAT", e.Key, strconv.FormatInt(e.ExpireAtMs, 10))
	}
	return b
}

// appendBatched writes cmd key items... in commands of at most 64 items
// (an item being group strings: a field and its value, a score and its
// member).
func appendBatched(b []byte, cmd, key string, items []string, group int) []byte {
	per := aofRewriteItemsPerCmd * group
	for len(items) > 0 {
		k := min(per, len(items))
		args := make([]string, 0, 2+k)
		args = append(args, cmd, key)
		args = append(args, items[:k]...)
		b = resp.AppendCommandStrings(b, args...)
		items = items[k:]
	}
	return b
}

// listpackStrings decodes every entry of lp as a string.
func listpackStrings(lp []byte) []string {
	var out []string
	for p := listpack.First(lp); p < listpack.End(lp); p = listpack.Next(lp, p) {
		e := listpack.Get(lp, p)
		if e.IsInt {
			out = append(out, strconv.FormatInt(e.Int, 10))
		} else {
			out = append(out, string(e.Str))
		}
	}
	return out
}
