package difftest

import (
	"strconv"

	"github.com/replsim/replsim/node/rdb"
)

// keyspaceGroup covers DUMP/RESTORE, COPY, MOVE, SWAPDB, TOUCH, OBJECT, the
// bit commands and LCS, with their propagation (RESTORE's relative TTL
// becomes absolute with ABSTTL; a REPLACE of an already expired payload
// propagates DEL; a BITFIELD whose writes all fail propagates nothing).
func keyspaceGroup(now int64) [][]string {
	str := rdb.Entry{Type: rdb.TypeString, Value: []byte("payload")}
	p := string(rdb.AppendDump(nil, &str, true))
	hash := rdb.Entry{Type: rdb.TypeHash, Items: []string{"a", "1", "b", "2"}}
	ph := string(rdb.AppendDump(nil, &hash, false))
	past := strconv.FormatInt(now-10_000, 10)
	future := strconv.FormatInt(now+1_000_000, 10)
	return [][]string{
		c("RESTORE", "r", "0", p), c("GET", "r"), c("RESTORE", "r", "0", p), c("RESTORE", "r", "100000", p, "REPLACE"),
		c("PTTL", "r"), c("RESTORE", "r2", future, p, "ABSTTL"), c("PEXPIRETIME", "r2"), c("RESTORE", "r3", past, p, "ABSTTL"),
		c("EXISTS", "r3"), c("RESTORE", "r2", past, p, "ABSTTL", "REPLACE"), c("EXISTS", "r2"),
		c("RESTORE", "h", "0", ph), c("HGETALL", "h"), c("OBJECT", "ENCODING", "h"), c("DUMP", "h"), c("DUMP", "r"),
		c("RESTORE", "x", "0", "bad"), c("RESTORE", "x", "0", p, "FREQ", "1"), c("RESTORE", "x", "0", p, "IDLETIME", "x"),
		c("COPY", "r", "c"), c("COPY", "r", "c"), c("COPY", "h", "c", "REPLACE"), c("COPY", "h", "c", "DB", "2"),
		c("MOVE", "c", "2"), c("MOVE", "h", "3"), c("SWAPDB", "0", "3"), c("HGETALL", "h"), c("SWAPDB", "3", "0"),
		c("TOUCH", "r", "h", "nokey"), c("OBJECT", "REFCOUNT", "r"), c("OBJECT", "FREQ", "r"), c("OBJECT", "HELP"),
		c("SETBIT", "b", "9", "1"), c("SETBIT", "b", "9", "1"), c("GETBIT", "b", "9"), c("BITCOUNT", "b"),
		c("BITPOS", "b", "1"), c("BITOP", "OR", "d", "b", "r"), c("BITOP", "AND", "d", "nokey"), c("EXISTS", "d"),
		c("BITFIELD", "bf", "SET", "u8", "0", "200", "INCRBY", "u8", "0", "100", "GET", "i8", "0"),
		c("BITFIELD", "bf2", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "300"), c("GET", "bf2"),
		c("BITFIELD_RO", "bf", "GET", "u8", "0"), c("LCS", "r", "b"), c("LCS", "r", "r", "IDX", "WITHMATCHLEN"),
	}
}
