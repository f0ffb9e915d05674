package node

// Some write commands look their keys up for reading (Redis's
// lookupKeyRead): COPY's source, SORT's key and its BY/GET patterns,
// GETEX's and GETDEL's key, BITOP's sources, BITFIELD's key when it only
// GETs, and the sources of SINTERSTORE, SUNIONSTORE, SDIFFSTORE,
// ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE and ZRANGESTORE. On a writable
// replica a key its master gave a TTL that passed on the replica's clock
// then reads as missing but stays, as for a read command; only a
// LOOKUP_WRITE lookup deletes it (checked against redis-server 7.0.15:
// COPY k k DB 9 on such a key answers 0 and DBSIZE keeps it, and the
// master's INCR k later finds it; chaos seed 7094).

// lookupRead is lookup for reading, within a write command too.
func (n *Node) lookupRead(c *client, key []byte) *entry {
	defer n.reading()()
	return n.lookup(c, key)
}

// reading makes lookups reads until the function it returns is called.
func (n *Node) reading() func() {
	writing := n.writing
	n.writing = false
	return func() { n.writing = writing }
}
