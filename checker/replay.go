package checker

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/replsim/replsim/node/resp"
)

// replay models the history from base b to the end of the master's bytes.
func (s *masterStream) replay(b baseState) {
	s.modelled, s.basePos, s.modelEnd = true, b.pos, b.pos
	s.base = map[dbKey]kv{}
	s.changes = map[dbKey][]change{}
	for _, e := range b.data {
		s.base[dbKey{e.DB, e.Key}] = kv{exists: true, typ: e.Type, val: e.Value, expireAt: e.ExpireAt}
	}
	st := map[dbKey]kv{}
	for k, v := range s.base {
		st[k] = v
	}
	data := bytes.Clone(s.data[b.pos-s.first:])
	lim := resp.DefaultLimits
	lim.MaxBulkLen = math.MaxInt64
	r := replayer{s: s, st: st, db: s.dbAt(b.pos)}
	var queued [][][]byte
	inMulti := false
	var argv [][]byte
	for off := 0; off < len(data); {
		args, k, err := resp.ParseCommand(data[off:], argv[:0], &lim)
		if err != nil || k == 0 {
			s.stopped = fmt.Sprintf("unparseable stream at offset %d", s.modelEnd)
			return
		}
		argv = args
		off += k
		pos := s.modelEnd + int64(k)
		if len(args) > 0 {
			switch name := strings.ToLower(string(args[0])); {
			case name == "multi":
				inMulti, queued = true, nil
			case name == "exec":
				s.noteLoneTransaction(queued, pos)
				for _, q := range queued {
					if why := r.apply(q, pos); why != "" {
						s.stopped = why
						return
					}
				}
				inMulti, queued = false, nil
			case inMulti:
				queued = append(queued, cloneArgs(args))
			default:
				if why := r.apply(args, pos); why != "" {
					s.stopped = why
					return
				}
			}
		}
		s.modelEnd = pos
	}
}

// noteLoneTransaction records a MULTI/EXEC around fewer than two commands
// (SELECTs aside): Redis 7.0 wraps what one call propagates only when it
// is more than one command (propagatePendingCommands: numops > 1).
func (s *masterStream) noteLoneTransaction(queued [][][]byte, pos int64) {
	if s.nondet != "" {
		return
	}
	k := 0
	for _, q := range queued {
		if !strings.EqualFold(string(q[0]), "select") {
			k++
		}
	}
	if k < 2 {
		s.nondet = fmt.Sprintf("%s propagated a MULTI/EXEC around %d command(s), ending at offset %d: Redis wraps one call's propagation only when it is more than one command (propagatePendingCommands)", s.owner, k, pos)
		s.nondetAt = pos
	}
}

func cloneArgs(args [][]byte) [][]byte {
	out := make([][]byte, len(args))
	for i, a := range args {
		out[i] = bytes.Clone(a)
	}
	return out
}

// replayer applies stream commands to a modelled dataset.
type replayer struct {
	s  *masterStream
	st map[dbKey]kv
	db int
}

func (r *replayer) set(k dbKey, v kv, pos int64) {
	if !v.exists {
		v = kv{}
		if !r.st[k].exists {
			return
		}
		delete(r.st, k)
	} else {
		r.st[k] = v
	}
	ch := r.s.changes[k]
	if n := len(ch); n > 0 && ch[n-1].pos == pos {
		ch[n-1].kv = v
		return
	}
	r.s.changes[k] = append(ch, change{pos, v})
}

// apply executes one replicated command; it returns why it could not.
func (r *replayer) apply(args [][]byte, pos int64) string {
	name := strings.ToLower(string(args[0]))
	key := func(i int) dbKey { return dbKey{r.db, string(args[i])} }
	bad := func() string {
		return fmt.Sprintf("unmodelled command %q at offset %d", strings.Join(strArgs(args), " "), pos)
	}
	switch name {
	case "ping", "replconf", "publish":
	case "select":
		if len(args) != 2 {
			return bad()
		}
		db, err := strconv.Atoi(string(args[1]))
		if err != nil {
			return bad()
		}
		r.db = db
	case "set":
		if len(args) < 3 {
			return bad()
		}
		v := kv{exists: true, val: string(args[2])}
		for i := 3; i < len(args); i++ {
			switch opt := strings.ToLower(string(args[i])); opt {
			case "nx", "xx", "get":
			case "keepttl":
				v.expireAt = r.st[key(1)].expireAt
			case "pxat", "exat":
				if i+1 >= len(args) {
					return bad()
				}
				t, err := strconv.ParseInt(string(args[i+1]), 10, 64)
				if err != nil {
					return bad()
				}
				if opt == "exat" {
					t *= 1000
				}
				v.expireAt = t
				i++
			default:
				return bad() // relative expiries never reach a correct stream
			}
		}
		r.set(key(1), v, pos)
	case "setnx", "getset":
		if len(args) != 3 {
			return bad()
		}
		r.set(key(1), kv{exists: true, val: string(args[2])}, pos)
	case "mset", "msetnx":
		if len(args)%2 != 1 {
			return bad()
		}
		if name == "msetnx" {
			for i := 1; i < len(args); i += 2 {
				if r.st[key(i)].exists {
					return "" // a replica's MSETNX finds the key: it sets nothing
				}
			}
		}
		for i := 1; i < len(args); i += 2 {
			r.set(key(i), kv{exists: true, val: string(args[i+1])}, pos)
		}
	case "append":
		if len(args) != 3 {
			return bad()
		}
		old := r.st[key(1)]
		if old.typ != "" {
			return bad()
		}
		r.set(key(1), kv{exists: true, val: old.val + string(args[2]), expireAt: old.expireAt}, pos)
	case "del", "unlink", "getdel":
		for i := 1; i < len(args); i++ {
			r.set(key(i), kv{}, pos)
		}
	case "incr", "decr", "incrby", "decrby":
		by := int64(1)
		if name == "incrby" || name == "decrby" {
			if len(args) != 3 {
				return bad()
			}
			v, err := strconv.ParseInt(string(args[2]), 10, 64)
			if err != nil {
				return bad()
			}
			by = v
		}
		if strings.HasPrefix(name, "decr") {
			by = -by
		}
		old := r.st[key(1)]
		cur := int64(0)
		if old.typ != "" {
			return bad()
		}
		if old.exists {
			v, ok := isInt(old.val)
			if !ok {
				return bad()
			}
			cur = v
		}
		r.set(key(1), kv{exists: true, val: strconv.FormatInt(cur+by, 10), expireAt: old.expireAt}, pos)
	case "rename", "renamenx":
		if len(args) != 3 {
			return bad()
		}
		src := r.st[key(1)]
		if !src.exists {
			return bad() // a correct master propagates only a rename that ran
		}
		r.set(key(1), kv{}, pos)
		r.set(key(2), src, pos)
	case "setrange":
		if len(args) != 4 {
			return bad()
		}
		off, err := strconv.Atoi(string(args[2]))
		if err != nil || off < 0 || off > 1<<20 {
			return bad()
		}
		old := r.st[key(1)]
		if old.typ != "" {
			return bad()
		}
		if len(args[3]) == 0 {
			break // no write, and no key made
		}
		r.set(key(1), kv{exists: true, val: setRange(old.val, off, string(args[3])), expireAt: old.expireAt}, pos)
	case "flushall", "flushdb":
		var ks []dbKey
		for k := range r.st {
			if name == "flushall" || k.db == r.db {
				ks = append(ks, k)
			}
		}
		for _, k := range ks {
			r.set(k, kv{}, pos)
		}
	case "pexpireat", "expireat":
		// PEXPIRE with NX, XX, GT or LT propagates as PEXPIREAT with its
		// option: a replica sets the TTL only where the option allows.
		if len(args) != 3 && len(args) != 4 {
			return bad()
		}
		t, err := strconv.ParseInt(string(args[2]), 10, 64)
		if err != nil {
			return bad()
		}
		if name == "expireat" {
			t *= 1000
		}
		old := r.st[key(1)]
		if len(args) == 4 {
			ok, known := expireOptionAllows(strings.ToUpper(string(args[3])), old.expireAt, t)
			if !known {
				return bad()
			}
			if !ok {
				break
			}
		}
		if old.exists {
			old.expireAt = t
			r.set(key(1), old, pos)
		}
	case "persist":
		if old := r.st[key(1)]; old.exists {
			old.expireAt = 0
			r.set(key(1), old, pos)
		}
	default:
		return r.applyCmd(args, pos, bad)
	}
	return ""
}

func strArgs(args [][]byte) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = string(a)
	}
	return out
}

// dbAt is the database the master's stream has selected at pos: the last
// SELECT before it (0 if none). A base state taken from a replica (a
// chained replica's full resync) sits wherever its master's stream was,
// often after a SELECT of another db; Redis carries that db in the RDB
// (repl-stream-db) rather than send a SELECT.
func (s *masterStream) dbAt(pos int64) int {
	if pos <= s.first || pos > s.end() {
		return 0
	}
	data := s.data[:pos-s.first]
	lim := resp.DefaultLimits
	lim.MaxBulkLen = math.MaxInt64
	db := 0
	var argv [][]byte
	for off := 0; off < len(data); {
		args, k, err := resp.ParseCommand(data[off:], argv[:0], &lim)
		if err != nil || k == 0 {
			return db
		}
		argv = args
		off += k
		if len(args) == 2 && strings.EqualFold(string(args[0]), "select") {
			if n, err := strconv.Atoi(string(args[1])); err == nil {
				db = n
			}
		}
	}
	return db
}

// expireOptionAllows says whether a PEXPIREAT option (Redis 7.0's NX, XX,
// GT, LT) lets a TTL at when replace the key's current one (0: none,
// which GT and LT count as infinite); known is false for another option.
func expireOptionAllows(opt string, cur, when int64) (ok, known bool) {
	switch opt {
	case "NX":
		return cur == 0, true
	case "XX":
		return cur != 0, true
	case "GT":
		return cur != 0 && when > cur, true
	case "LT":
		return cur == 0 || when < cur, true
	}
	return false, false
}
