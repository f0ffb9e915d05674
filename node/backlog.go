package node

// backlog is the replication backlog: a ring buffer holding the most recent
// bytes of the replication stream, so a replica that lost its link briefly
// can continue from its offset (partial resync). Its storage grows on
// demand up to size, so an idle backlog costs little.
type backlog struct {
	size    int64  // configured capacity (repl-backlog-size)
	buf     []byte // storage: len(buf) <= size; a ring once len(buf) == size
	next    int    // where the next byte goes
	histlen int64  // valid bytes, at most size
	// first is the replication offset of the oldest byte held.
	first int64
}

const backlogInitial = 16 << 10

func newBacklog(size int64, offset int64) *backlog {
	return &backlog{size: size, first: offset + 1}
}

// write appends stream bytes.
func (b *backlog) write(p []byte) {
	if int64(len(b.buf)) < b.size && b.histlen+int64(len(p)) > int64(len(b.buf)) {
		b.grow(b.histlen + int64(len(p)))
	}
	size := len(b.buf)
	if len(p) >= size {
		drop := int64(len(p) - size)
		p = p[len(p)-size:]
		b.first += b.histlen + drop
		copy(b.buf, p)
		b.next = 0
		b.histlen = int64(size)
		return
	}
	n := copy(b.buf[b.next:], p)
	copy(b.buf, p[n:])
	b.next = (b.next + len(p)) % size
	b.histlen += int64(len(p))
	if over := b.histlen - int64(size); over > 0 {
		b.first += over
		b.histlen = int64(size)
	}
}

// grow enlarges the storage to hold at least need bytes (capped at size),
// keeping the held history contiguous from the start.
func (b *backlog) grow(need int64) {
	newLen := int64(len(b.buf))
	if newLen < backlogInitial {
		newLen = backlogInitial
	}
	for newLen < need {
		newLen *= 2
	}
	if newLen > b.size {
		newLen = b.size
	}
	data := b.from(b.first)
	b.buf = make([]byte, newLen)
	copy(b.buf, data)
	b.histlen = int64(len(data))
	b.next = int(b.histlen % newLen)
}

// has reports whether a replica asking for offset off can continue.
func (b *backlog) has(off int64) bool {
	return off >= b.first && off <= b.first+b.histlen
}

// from returns a copy of the stream from offset off to the end.
func (b *backlog) from(off int64) []byte {
	skip := off - b.first
	k := b.histlen - skip
	out := make([]byte, k)
	if k == 0 {
		return out
	}
	size := int64(len(b.buf))
	start := (int64(b.next) - b.histlen + skip + 2*size) % size
	m := copy(out, b.buf[start:])
	copy(out[m:], b.buf[:k-int64(m)])
	return out
}

// resize changes the capacity, keeping the newest bytes.
func (b *backlog) resize(size int64) {
	if size == b.size {
		return
	}
	data := b.from(b.first)
	nb := &backlog{size: size, first: b.first}
	nb.write(data)
	*b = *nb
}
