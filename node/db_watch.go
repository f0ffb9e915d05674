package node

// The keyspace's side of WATCH (cmd_watch.go): the keys clients watch in
// this db, and the signals that dirty them. put, setExpire and remove
// signal the key they changed (Redis's signalModifiedKey), clear signals
// every watched key that existed (signalFlushedDb); in-place changes of a
// collection are signalled by the command layer (touchWrittenKey).

// touchWatched marks the clients watching key dirty, as Redis 7.0's
// touchWatchedKey: called after the change. A client that watched the key
// while it was already logically expired is not dirtied by its deletion
// (no logical change; its stale mark is cleared instead).
func (ks *keyspace) touchWatched(key string) {
	if len(ks.watched) == 0 {
		return
	}
	list := ks.watched[key]
	if len(list) == 0 {
		return
	}
	// unwatchAll edits the list as we go: walk a copy.
	for _, wk := range append([]*watchedKey(nil), list...) {
		if wk.expired {
			if ks.lookup(key) == nil {
				wk.expired = false
				continue
			}
			// Redis 7.0.15 stops at the first stale watcher of a key that
			// still exists (a break in touchWatchedKey): the clients after
			// it in the list are not dirtied.
			break
		}
		wk.c.dirtyCAS = true
		wk.c.unwatchAll()
	}
}

// touchAllWatched marks dirty the clients watching a key of ks that exists
// in ks, or (SWAPDB) in replacedWith, before ks is emptied or swapped, as
// Redis's touchAllWatchedKeysInDb. isExpired tells a logically expired
// entry of replacedWith.
func (ks *keyspace) touchAllWatched(replacedWith *keyspace, isExpired func(*entry) bool) {
	for key, list := range ks.watched {
		inEmptied := ks.lookup(key) != nil
		var repl *entry
		if replacedWith != nil {
			repl = replacedWith.lookup(key)
		}
		if !inEmptied && repl == nil {
			continue
		}
		for _, wk := range list {
			if wk.expired {
				if repl == nil {
					wk.expired = false // deleted: no logical change
					continue
				}
				if isExpired(repl) {
					continue
				}
			} else if !inEmptied && isExpired(repl) {
				wk.expired = true
				continue
			}
			wk.c.dirtyCAS = true
		}
	}
}

// touchWrittenKey signals the key a write command changed in place (a
// collection it modified without replacing it), after the command ran and
// only when it changed something (the dirty counter moved). It skips the
// keys the keyspace already signalled or that are gone.
func (n *Node) touchWrittenKey(c *client, cmd *command, args [][]byte, dirtyBefore int64) {
	if cmd.flags&flagWrite == 0 || n.dirty == dirtyBefore || len(args) < 2 || noFirstKeyWrite[cmd.name] {
		return
	}
	if n.bug(BugWatchDirtiesAll) {
		for _, list := range n.dbs[c.db].watched {
			for _, wk := range list {
				wk.c.dirtyCAS = true
			}
		}
	}
	if n.bug(BugWatchMissesIncr) && incrCommands[cmd.name] {
		return
	}
	ks := n.dbs[c.db]
	if len(ks.watched) == 0 || ks.lookup(string(args[1])) == nil {
		return
	}
	ks.touchWatched(string(args[1]))
}

// noFirstKeyWrite lists write commands whose first argument is not a key
// they change in place (a flag, a source key, a db).
var noFirstKeyWrite = map[string]bool{
	"flushdb": true, "flushall": true, "bitop": true, "copy": true, "sort": true,
	"swapdb": true, "function": true,
}

// incrCommands are the commands BugWatchMissesIncr lets change a watched
// key unseen.
var incrCommands = map[string]bool{"incr": true, "decr": true, "incrby": true, "decrby": true}

// muteWatches stops the keyspaces signalling watched keys until the
// returned function runs: loading a snapshot after a flush (full sync,
// DEBUG RELOAD) is no change a WATCH sees, as in Redis, where the flush
// alone dirties the watchers.
func (n *Node) muteWatches() (restore func()) {
	saved := make([]map[string][]*watchedKey, len(n.dbs))
	for i, ks := range n.dbs {
		saved[i], ks.watched = ks.watched, nil
	}
	return func() {
		for i, ks := range n.dbs {
			ks.watched = saved[i]
		}
	}
}
