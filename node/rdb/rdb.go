// Package rdb reads and writes Redis RDB files, version 10, byte-compatible
// with Redis 7.0: strings, and hashes, sets, sorted sets and lists in the
// encodings Redis 7.0 writes (see Type).
package rdb

// Entry is one key with its value and optional expiry. Type says which
// fields carry the value.
type Entry struct {
	Key  string
	Type Type
	// Value is the string (TypeString), or the encoded blob: an intset
	// (TypeSetIntset) or a listpack (TypeHashListpack, TypeZsetListpack).
	Value []byte
	// Items are the members of a set (TypeSet), the fields and values
	// alternating of a hash (TypeHash), or the members of a sorted set
	// (TypeZset2), in file order.
	Items []string
	// Scores are the sorted set's scores, parallel to Items (TypeZset2).
	Scores []float64
	// Nodes are a list's quicklist nodes (TypeListQuicklist2).
	Nodes []ListNode
	// ExpireAtMs is the absolute expiry in Unix milliseconds; 0 means none.
	ExpireAtMs int64
}

// ListNode is one quicklist node: a listpack of elements, or (Plain) one
// element too large for a listpack, stored as is.
type ListNode struct {
	Plain bool
	Data  []byte
}

// Type is an RDB value type byte.
type Type byte

// The value types Redis 7.0 writes.
const (
	TypeString         Type = 0
	TypeSet            Type = 2
	TypeHash           Type = 4
	TypeZset2          Type = 5 // members with binary double scores
	TypeSetIntset      Type = 11
	TypeHashListpack   Type = 16
	TypeZsetListpack   Type = 17
	TypeListQuicklist2 Type = 18
)

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
