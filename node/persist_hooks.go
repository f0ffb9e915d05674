package node

// Persistence hooks. The persistence layer (RDB save rules, AOF) fills these
// in; until then they do nothing.

// loadPersisted loads the dataset from disk at startup.
func (n *Node) loadPersisted() error { return nil }

// feedAOF appends the encoded commands of one propagated unit for db to the
// AOF buffer. It runs on masters and replicas alike.
func (n *Node) feedAOF(db int, cmds []byte) {}

// flushAOF writes (and, per appendfsync, syncs) the AOF buffer before any
// reply leaves the node, as Redis's beforeSleep does.
func (n *Node) flushAOF() {}
