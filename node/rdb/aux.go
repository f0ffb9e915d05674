package rdb

import "strconv"

// StandardAux returns the AUX fields Redis 7.0 writes in every RDB file, in
// the order rdbSaveInfoAuxFields writes them: redis-ver, redis-bits (64),
// ctime (Unix seconds), used-mem (bytes) and aof-base (0).
func StandardAux(redisVer string, ctimeUnix int64, usedMem int64) []AuxField {
	return []AuxField{
		{Key: "redis-ver", Value: redisVer},
		{Key: "redis-bits", Value: "64"},
		{Key: "ctime", Value: strconv.FormatInt(ctimeUnix, 10)},
		{Key: "used-mem", Value: strconv.FormatInt(usedMem, 10)},
		{Key: "aof-base", Value: "0"},
	}
}

// StandardReplAux is StandardAux plus the replication fields a Redis 7.0
// master writes into an RDB made for a replica (or when it has a
// replication history): repl-stream-db, repl-id and repl-offset, placed
// before aof-base as Redis places them.
func StandardReplAux(redisVer string, ctimeUnix, usedMem int64, replStreamDB int, replID string, replOffset int64) []AuxField {
	a := StandardAux(redisVer, ctimeUnix, usedMem)
	last := a[len(a)-1]
	return append(a[:len(a)-1],
		AuxField{Key: "repl-stream-db", Value: strconv.Itoa(replStreamDB)},
		AuxField{Key: "repl-id", Value: replID},
		AuxField{Key: "repl-offset", Value: strconv.FormatInt(replOffset, 10)},
		last)
}

// AuxValue returns the value of the first AUX field named key (compared
// case-insensitively, as Redis does).
func (s *Snapshot) AuxValue(key string) (string, bool) {
	for _, a := range s.Aux {
		if equalFold(a.Key, key) {
			return a.Value, true
		}
	}
	return "", false
}

// ReplInfo returns the replication history the snapshot records, when it
// is one Redis 7.0.15's loadDataFromDisk takes: a repl-id of 40 bytes, and
// a repl-offset and a repl-stream-db that are numbers other than -1.
func (s *Snapshot) ReplInfo() (id string, offset int64, streamDB int, ok bool) {
	id, okID := s.AuxValue("repl-id")
	offStr, okOff := s.AuxValue("repl-offset")
	dbStr, okDB := s.AuxValue("repl-stream-db")
	if !okID || len(id) != 40 || !okOff || !okDB {
		return "", 0, 0, false
	}
	offset, err := strconv.ParseInt(offStr, 10, 64)
	if err != nil || offset == -1 {
		return "", 0, 0, false
	}
	streamDB, err = strconv.Atoi(dbStr)
	if err != nil || streamDB == -1 {
		return "", 0, 0, false
	}
	return id, offset, streamDB, true
}

// equalFold compares ASCII case-insensitively, like strcasecmp.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
