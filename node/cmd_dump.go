package node

import (
	"github.com/replsim/replsim/node/rdb"
)

func init() {
	register(
		&command{name: "dump", arity: 2, flags: flagReadOnly, fn: dumpCommand},
		&command{name: "restore", arity: -4, flags: flagWrite | flagDenyOOM, fn: restoreCommand},
	)
}

// DUMP and RESTORE move one value as a DUMP payload (rdb.AppendDump): the
// value's RDB encoding, as this node writes it to an RDB file, with the
// RDB version and a CRC-64. Every type goes through the entry's RDB
// conversion (persist_types.go), so a type that can be saved and loaded
// can be dumped and restored.

const (
	errBusyKey      = "BUSYKEY Target key name already exists."
	errDumpPayload  = "ERR DUMP payload version or checksum are wrong"
	errBadDumpValue = "ERR Bad data format"
)

func dumpCommand(n *Node, c *client, args [][]byte) {
	e := n.lookup(c, args[1])
	if e == nil {
		c.addNull()
		return
	}
	re := e.rdbEntry()
	c.addBulkBytes(rdb.AppendDump(nil, &re, n.cfg.RDBCompression))
}

// restoreOpts are RESTORE's options after the payload.
type restoreOpts struct {
	replace, absTTL bool
	idle, freq      int64 // -1: not given
}

// parseRestoreOptions reads REPLACE, ABSTTL, IDLETIME s and FREQ f as
// Redis does: IDLETIME and FREQ exclude each other (the second one is a
// syntax error) and their values are checked as they are met.
func parseRestoreOptions(c *client, args [][]byte) (restoreOpts, bool) {
	o := restoreOpts{idle: -1, freq: -1}
	for j := 4; j < len(args); j++ {
		more := len(args) - j - 1
		switch {
		case equalFold(args[j], "replace"):
			o.replace = true
		case equalFold(args[j], "absttl"):
			o.absTTL = true
		case equalFold(args[j], "idletime") && more >= 1 && o.freq == -1:
			v, ok := parseInt(args[j+1])
			if !ok {
				c.addError(errNotInteger)
				return o, false
			}
			if v < 0 {
				c.addError("ERR Invalid IDLETIME value, must be >= 0")
				return o, false
			}
			o.idle = v
			j++
		case equalFold(args[j], "freq") && more >= 1 && o.idle == -1:
			v, ok := parseInt(args[j+1])
			if !ok {
				c.addError(errNotInteger)
				return o, false
			}
			if v < 0 || v > 255 {
				c.addError("ERR Invalid FREQ value, must be >= 0 and <= 255")
				return o, false
			}
			o.freq = v
			j++
		default:
			c.addError(errSyntax)
			return o, false
		}
	}
	return o, true
}

// restoreCommand is RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME
// s] [FREQ f], checked in Redis's order: options, an existing key
// (BUSYKEY), the TTL, the payload's footer, then its value. A relative TTL
// propagates as an absolute one with ABSTTL appended; a TTL already past
// stores nothing, and propagates as DEL when REPLACE removed a key.
func restoreCommand(n *Node, c *client, args [][]byte) {
	o, ok := parseRestoreOptions(c, args)
	if !ok {
		return
	}
	lruClock := n.lruClock()
	key := args[1]
	if !o.replace && n.lookup(c, key) != nil {
		c.addError(errBusyKey)
		return
	}
	ttl, ok := parseInt(args[2])
	if !ok {
		c.addError(errNotInteger)
		return
	}
	if ttl < 0 {
		c.addError("ERR Invalid TTL value, must be >= 0")
		return
	}
	if rdb.VerifyDump(args[3], false) != nil {
		c.addError(errDumpPayload)
		return
	}
	re, err := rdb.ParseDump(args[3], string(key))
	if err != nil || !loadableType(re.Type) {
		c.addError(errBadDumpValue)
		return
	}
	if n.bug(BugZiplistZsetScoresSwapped) && args[3][0] == zsetZiplistType {
		swapFirstScores(&re)
	}
	val, obj := n.valueFromRDB(&re)
	ks := n.dbs[c.db]
	deleted := false
	if old := ks.lookup(string(key)); o.replace && old != nil {
		// REPLACE deletes what is there, expired or not, without a lookup
		// (so no DEL of its own is propagated), as Redis's dbDelete.
		n.rememberStale(old.key, old)
		deleted = ks.remove(old.key)
	}
	if ttl != 0 && !o.absTTL {
		ttl += n.nowMs()
	}
	if ttl != 0 && n.alreadyExpired(ttl) {
		if deleted && !n.bug(BugRestoreExpiredNoDel) {
			n.dirty++
			n.propagate([]byte("DEL"), key)
		}
		c.addOK()
		return
	}
	e := ks.put(string(key), val, obj, ttl)
	n.setLRUOrLFU(e, o, lruClock)
	n.dirty++
	if ttl != 0 && !o.absTTL && !n.bug(BugRestoreTTLRelative) {
		prop := append([][]byte{args[0], key, []byte(itoa(ttl))}, args[3:]...)
		n.propagate(append(prop, []byte("ABSTTL"))...)
	} else {
		n.propagate(args...)
	}
	c.addOK()
}

// setLRUOrLFU applies RESTORE's IDLETIME or FREQ, as objectSetLRUOrLFU:
// FREQ sets the counter under an LFU policy, IDLETIME backdates the last
// access under any other; the option that does not fit the policy is
// ignored. The LRU field keeps 24 bits, as Redis's bit field.
func (n *Node) setLRUOrLFU(e *entry, o restoreOpts, lruClock uint32) {
	if policyLFU(n.cfg.MaxMemoryPolicy) {
		if o.freq >= 0 {
			e.lru = n.lfuMinutes()<<8 | uint32(o.freq)
		}
		return
	}
	if o.idle >= 0 {
		abs := int64(lruClock) - o.idle
		if abs < 0 {
			abs += lruClockMax
		}
		e.lru = uint32(abs) & lruClockMax
	}
}
