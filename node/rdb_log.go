package node

import (
	"errors"
	"math"
	"strings"

	"github.com/replsim/replsim/node/rdb"
)

// logRDBAux writes the lines Redis's rdbLoad logs for a file's AUX fields,
// in the order the file holds them.
func (n *Node) logRDBAux(s *rdb.Snapshot) {
	for _, a := range s.Aux {
		switch {
		case strings.HasPrefix(a.Key, "%"):
			n.logNotice("RDB '%s': %s", a.Key, a.Value)
		case strings.EqualFold(a.Key, "redis-ver"):
			n.logNotice("Loading RDB produced by version %s", a.Value)
		case strings.EqualFold(a.Key, "ctime"):
			age := n.nowMs()/1000 - strtoll(a.Value)
			if age < 0 {
				age = 0
			}
			n.logNotice("RDB age %d seconds", age)
		case strings.EqualFold(a.Key, "used-mem"):
			n.logNotice("RDB memory usage when created %.2f Mb", float64(strtoll(a.Value))/(1024*1024))
		case strings.EqualFold(a.Key, "aof-preamble"):
			if strtoll(a.Value) != 0 {
				n.logNotice("RDB has an AOF tail")
			}
		case strings.EqualFold(a.Key, "aof-base"):
			if strtoll(a.Value) != 0 {
				n.logNotice("RDB is base AOF")
			}
		}
	}
}

// logRDBDone is rdbLoad's closing line; the loaded keys are those of s.
func (n *Node) logRDBDone(s *rdb.Snapshot, expired int64) {
	var loaded int64
	for _, db := range s.DBs {
		loaded += int64(len(db.Entries))
	}
	n.logNotice("Done loading RDB, keys loaded: %d, keys expired: %d.", loaded, expired)
}

// logRDBChecksumError logs what Redis does when a file's checksum does not
// match (rdbLoad's message, then rdbReportCorruptRDB's), and reports
// whether err was that. data is the whole file. The AUX lines Redis logs
// before it reaches the checksum come first.
func (n *Node) logRDBChecksumError(data []byte, err error) bool {
	var re *rdb.Error
	if !errors.As(err, &re) || !strings.HasPrefix(re.Msg, "checksum mismatch") ||
		re.Offset < 0 || int(re.Offset)+8 > len(data) {
		return false
	}
	end := int(re.Offset)
	var stored uint64
	for i := 7; i >= 0; i-- {
		stored = stored<<8 | uint64(data[end+i])
	}
	// Read the file again, up to its checksum and without it, for its
	// AUX fields: Redis stops reading at the checksum, so bytes after it
	// (a flipped opcode may have made an early EOF) do not matter.
	plain := append([]byte(nil), data[:end+8]...)
	for i := end; i < end+8; i++ {
		plain[i] = 0
	}
	if snap, err := rdb.Parse(plain); err == nil {
		n.logRDBAux(snap)
	}
	n.logWarning("Wrong RDB checksum expected: (%x) but got (%x). Aborting now.", rdb.CRC64(0, data[:end]), stored)
	// Redis reports how far its loading progress got, in 2 MB steps.
	n.logWarning("Internal error in RDB reading offset %d, function at rdb.c:3225 -> RDB CRC error", end/(2<<20)*(2<<20))
	return true
}

// strtoll is C's strtoll in base 10: leading spaces, a sign, the digits
// that follow; 0 when there are none.
func strtoll(s string) int64 {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	var v int64
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		d := int64(s[i] - '0')
		if v > (math.MaxInt64-d)/10 {
			if neg {
				return math.MinInt64
			}
			return math.MaxInt64
		}
		v = v*10 + d
	}
	if neg {
		return -v
	}
	return v
}
