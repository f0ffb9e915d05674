package checker

import "strings"

// A writable replica's AOF replays a command that read a key its master
// gave a TTL otherwise than it ran. Live, the replica reads such a key
// once the TTL passed on its clock as missing but keeps it (lookupKeyRead:
// only the master's DEL removes it), so a command that only reads its
// sources (COPY, SORT, BITOP, the *STORE commands) writes its destination
// as if they were empty, and is logged as it is, with no DEL before it;
// loading the AOF expires nothing (keyIsExpired is false while loading),
// so the replay reads the sources' values and writes another destination
// (sweep seed 45348: ZRANGESTORE z7 z0 -1 -1 answered 0 and deleted z7 on
// the writable replica, whose restart from its AOF loaded z7 with z0's
// last member). Checked against redis-server 7.0.15: DEBUG LOADAOF on such
// a replica brought z7 back.

// readSourceCmds are the writes that look their sources up for reading
// (node/lookup_read.go).
var readSourceCmds = map[string]bool{
	"COPY": true, "SORT": true, "BITOP": true, "SINTERSTORE": true, "SUNIONSTORE": true, "SDIFFSTORE": true,
	"ZUNIONSTORE": true, "ZINTERSTORE": true, "ZDIFFSTORE": true, "ZRANGESTORE": true,
}

// replayMayDiffer returns the keys node's AOF replay may hold otherwise
// than it ran (see above): those the local writes on node called before
// the instant before wrote by reading a source that some op of all gave a
// TTL.
func replayMayDiffer(local, all []Op, node string, before int64) map[dbKey]bool {
	var ttl map[string]bool
	out := map[dbKey]bool{}
	for i := range local {
		op := &local[i]
		if op.Node != node || op.Call >= before || op.Kind != OpCmd || len(op.Args) == 0 || !readSourceCmds[strings.ToUpper(op.Args[0])] {
			continue
		}
		if ttl == nil {
			ttl = map[string]bool{}
			for j := range all {
				for _, k := range ttlGiven(&all[j]) {
					ttl[k] = true
				}
			}
		}
		written := map[dbKey]bool{}
		for _, w := range keyWrites(op, nil) {
			if w.db < 0 {
				w.db = op.DB
			}
			written[dbKey{w.db, w.key}] = true
		}
		fromTTL := false
		for _, k := range opKeys(op) {
			fromTTL = fromTTL || (ttl[k] && !written[dbKey{op.DB, k}])
		}
		if !fromTTL {
			continue
		}
		for k := range written {
			out[k] = true
		}
	}
	return out
}
