// Package rdb reads and writes Redis RDB files, version 10, byte-compatible
// with Redis 7.0 for the string type.
package rdb

// Entry is one string key with its value and optional expiry.
type Entry struct {
	Key   string
	Value []byte
	// ExpireAtMs is the absolute expiry in Unix milliseconds; 0 means none.
	ExpireAtMs int64
}

// DB is the content of one logical database.
type DB struct {
	Index   int
	Entries []Entry
}

// AuxField is one AUX key/value pair (redis-ver, repl-id, ...).
type AuxField struct {
	Key, Value string
}

// Snapshot is a whole RDB file's content.
type Snapshot struct {
	Aux []AuxField
	DBs []DB
}

// Options choose how a snapshot is written.
type Options struct {
	// Compress enables LZF for strings longer than 20 bytes (rdbcompression).
	Compress bool
	// Checksum writes a CRC-64 trailer (rdbchecksum); otherwise eight zero bytes.
	Checksum bool
}
