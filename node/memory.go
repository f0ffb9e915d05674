package node

import (
	"math"
	"math/bits"
)

// Memory accounting. used_memory, maxmemory and MEMORY USAGE use what Redis
// 7.0.15 on x86-64 would allocate for the same data (jemalloc size classes,
// its object and dict layouts), not the Go heap: the figures are the same
// in simulation and on real TCP, and maxmemory evicts at about the point
// where Redis would. Verified against redis-server's MEMORY USAGE.

const (
	// baseUsedMemory is used_memory_startup of a default redis-server
	// 7.0.15: what it holds before any data or client.
	baseUsedMemory = 876144
	// dictEntryMem is zmalloc's size for a dictEntry (24 bytes asked).
	dictEntryMem = 32
	// dictEntrySize is sizeof(dictEntry), which MEMORY USAGE adds.
	dictEntrySize = 24
	// robjSize is sizeof(robj).
	robjSize = 16
	// sharedIntegers is OBJ_SHARED_INTEGERS: values 0..9999 share objects.
	sharedIntegers = 10000
	// clientMem is about what Redis allocates per connected client
	// (client struct, 16 KB reply buffer, query buffer).
	clientMem = 20 * 1024
)

// jemallocSize rounds n up to jemalloc's size class (8, 16, then 16-byte
// steps to 128, then four classes per doubling).
func jemallocSize(n int) int64 {
	switch {
	case n <= 8:
		return 8
	case n <= 128:
		return int64((n + 15) &^ 15)
	}
	k := bits.Len(uint(n - 1)) // 2^(k-1) < n <= 2^k
	step := 1 << (k - 3)
	return int64((n + step - 1) &^ (step - 1))
}

// sdsMem is the allocation of an sds string of length n (sdsnewlen picks
// the smallest header; type 5 is never used for empty strings).
func sdsMem(n int) int64 {
	hdr := 1
	switch {
	case n == 0 || n >= 32 && n < 1<<8:
		hdr = 3
	case n >= 1<<8 && n < 1<<16:
		hdr = 5
	case n >= 1<<16:
		hdr = 9
	}
	return jemallocSize(hdr + n + 1)
}

// keyMem is the key's sds: dbAdd duplicates it with sdsdup.
func keyMem(key string) int64 { return sdsMem(len(key)) }

// valueMem is a string value as tryObjectEncoding leaves it: a shared or
// int-encoded integer, an embedded string, or an object plus an sds.
func valueMem(val string) int64 {
	if v, ok := canonicalInt(val); ok {
		if v >= 0 && v < sharedIntegers {
			return 0
		}
		return robjSize
	}
	if len(val) <= embstrMax {
		return jemallocSize(robjSize + 3 + len(val) + 1)
	}
	return robjSize + sdsMem(len(val))
}

// canonicalInt reports whether val is an integer Redis stores int-encoded
// (string2l: canonical decimal, fits a long) and its value.
func canonicalInt(val string) (int64, bool) {
	if len(val) == 0 || len(val) > 20 {
		return 0, false
	}
	digits := val
	if val[0] == '-' {
		digits = val[1:]
	}
	if len(digits) == 0 || (digits[0] == '0' && len(val) > 1) {
		return 0, false // "-", "01", "-0": not canonical
	}
	var u uint64
	for i := 0; i < len(digits); i++ {
		d := digits[i] - '0'
		if d > 9 || u > (math.MaxUint64-uint64(d))/10 {
			return 0, false
		}
		u = u*10 + uint64(d)
	}
	if val[0] == '-' {
		if u > 1<<63 {
			return 0, false
		}
		return -int64(u), true
	}
	if u > math.MaxInt64 {
		return 0, false
	}
	return int64(u), true
}

// expireMem is the entry a key with a TTL has in the expires dict.
func expireMem(expireAt int64) int64 {
	if expireAt == 0 {
		return 0
	}
	return dictEntryMem
}

// entryMem is one key: its dict entry, key, value and expiry.
func entryMem(key, val string, expireAt int64) int64 {
	return dictEntryMem + keyMem(key) + valueMem(val) + expireMem(expireAt)
}

// dictTableMem is a dict's bucket array for n entries (a power of two of
// 8-byte pointers, at least 4, none for an empty dict).
func dictTableMem(n int) int64 {
	if n == 0 {
		return 0
	}
	size := max(4, 1<<bits.Len(uint(n-1)))
	return int64(size) * 8
}

// datasetMem is the keys and values of every db with their dicts.
func (n *Node) datasetMem() (data, overhead int64) {
	for _, ks := range n.dbs {
		if ks.len() == 0 {
			continue
		}
		data += ks.mem
		overhead += dictTableMem(ks.len()) + dictTableMem(ks.expires)
	}
	return data, overhead
}

// memoryFigures are INFO memory's numbers.
type memoryFigures struct {
	used, dataset, overhead, clientsNormal, clientsReplicas, backlog, aofBuf int64
}

func (n *Node) memory() memoryFigures {
	var m memoryFigures
	var dictOverhead int64
	m.dataset, dictOverhead = n.datasetMem()
	for _, c := range n.clients {
		mem := clientMem + int64(cap(c.in)) + n.outputPending(c)
		if c.isReplica() {
			m.clientsReplicas += mem
		} else if !c.isMasterLink {
			m.clientsNormal += mem
		}
	}
	if b := n.repl.backlog; b != nil {
		m.backlog = int64(b.size)
	}
	m.aofBuf = int64(len(n.ps.aof.buf))
	m.overhead = baseUsedMemory + dictOverhead + m.clientsNormal + m.clientsReplicas + m.backlog + m.aofBuf
	m.used = m.overhead + m.dataset
	return m
}

// usedMemory is used_memory.
func (n *Node) usedMemory() int64 { return n.memory().used }

// memoryForEviction is used_memory less what Redis does not count against
// maxmemory (replica output buffers, the backlog, the AOF buffer), cheaply
// enough to run before every command: clients count their fixed share.
func (n *Node) memoryForEviction() int64 {
	data, overhead := n.datasetMem()
	return baseUsedMemory + data + overhead + clientMem*int64(len(n.clients))
}

// keyUsage is MEMORY USAGE of entry e (what objectComputeSize, the key's
// sds and sizeof(dictEntry) add up to; the expiry is not counted).
func keyUsage(e *entry, samples int64) int64 {
	if s, ok := e.obj.(memSizer); ok {
		if samples <= 0 {
			samples = math.MaxInt64
		}
		return s.memUsage(samples) + keyMem(e.key) + dictEntrySize
	}
	v := valueMem(e.val)
	if v == 0 {
		v = robjSize // MEMORY USAGE counts a shared integer's object too
	}
	return v + keyMem(e.key) + dictEntrySize
}

// memUsageSamples is OBJ_COMPUTE_SIZE_DEF_SAMPLES, MEMORY USAGE's default.
const memUsageSamples = 5

// memSizer is a collection that computes its MEMORY USAGE as Redis's
// objectComputeSize does, sampling up to samples elements or nodes.
type memSizer interface {
	memUsage(samples int64) int64
}
