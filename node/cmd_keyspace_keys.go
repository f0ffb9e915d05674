package node

// The legacy key positions (COMMAND INFO) of the keyspace, DUMP/RESTORE,
// bit and LCS commands, as redis-server 7.0.15 reports them.
func init() {
	for name, kp := range map[string]keyPos{
		"dump": {1, 1, 1}, "restore": {1, 1, 1}, "copy": {1, 2, 1}, "move": {1, 1, 1},
		"touch": {1, -1, 1}, "setbit": {1, 1, 1}, "getbit": {1, 1, 1}, "bitcount": {1, 1, 1},
		"bitpos": {1, 1, 1}, "bitop": {2, -1, 1}, "bitfield": {1, 1, 1}, "bitfield_ro": {1, 1, 1},
		"lcs": {1, 2, 1},
	} {
		commandKeys[name] = kp
	}
}
