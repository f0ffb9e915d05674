package difftest

// listGroup covers every list command's replies, errors and propagation
// (blocking commands where they do not block: on non-empty lists, inside
// MULTI, or with errors).
func listGroup() group {
	long := "a-list-element-long-enough-to-make-listpack-use-a-bigger-length-header-xxxxxxxxxxxxxxxx"
	return group{"lists", [][]string{
		c("RPUSH", "l", "a", "b", "c", "1", "-2", "01", long), c("LPUSH", "l", "h"), c("LPUSHX", "l", "x"), c("RPUSHX", "none", "x"),
		c("LLEN", "l"), c("LINDEX", "l", "-1"), c("LINDEX", "l", "100"), c("LINDEX", "l", "x"), c("LRANGE", "l", "0", "-1"),
		c("LRANGE", "l", "-100", "2"), c("LRANGE", "l", "5", "2"), c("LSET", "l", "1", "set"), c("LSET", "l", "99", "x"),
		c("LSET", "none", "0", "x"), c("LINSERT", "l", "BEFORE", "c", "ins"), c("LINSERT", "l", "after", "nope", "x"),
		c("LINSERT", "l", "around", "c", "x"), c("LPOS", "l", "c"), c("LPOS", "l", "c", "RANK", "-1", "COUNT", "0", "MAXLEN", "3"),
		c("LPOS", "l", "c", "RANK", "0"), c("LPOS", "l", "c", "RANK", "-9223372036854775808"), c("LPOS", "l", "c", "COUNT", "-1"),
		c("LREM", "l", "-1", "01"), c("LREM", "l", "0", "nope"), c("LTRIM", "l", "0", "-1"), c("LTRIM", "l", "1", "-2"),
		c("LPOP", "l"), c("RPOP", "l", "2"), c("LPOP", "l", "0"), c("LPOP", "none", "0"), c("RPOP", "l", "-1"),
		c("RPUSH", "src", "1", "2", "3"), c("LMOVE", "src", "dst", "LEFT", "right"), c("RPOPLPUSH", "src", "dst"),
		c("LMOVE", "src", "src", "left", "left"), c("LMOVE", "src", "dst", "up", "left"), c("LMOVE", "none", "dst", "LEFT", "LEFT"),
		c("LMPOP", "2", "none", "dst", "RIGHT", "COUNT", "9"), c("LMPOP", "0", "l", "LEFT"), c("LMPOP", "9223372036854775807", "l", "LEFT"),
		c("LMPOP", "1", "l", "LEFT", "COUNT", "0"), c("LMPOP", "1", "l", "LEFT", "COUNT"),
		c("BLPOP", "none", "l", "0"), c("BRPOP", "l", "0.5"), c("BLMPOP", "0", "1", "l", "RIGHT", "COUNT", "2"),
		c("BLMOVE", "src", "dst", "RIGHT", "LEFT", "0"), c("BRPOPLPUSH", "dst", "src", "0"), c("BLPOP", "l", "-1"), c("BLPOP", "l", "x"),
		c("MULTI"), c("BLPOP", "empty", "0"), c("BRPOPLPUSH", "empty", "d", "0"), c("BLMPOP", "0", "1", "empty", "LEFT"), c("EXEC"),
		c("SET", "str", "v"), c("LPUSH", "str", "a"), c("BLPOP", "str", "0"), c("LMOVE", "src", "str", "LEFT", "LEFT"),
		c("TYPE", "src"), c("OBJECT", "ENCODING", "src"), c("DEBUG", "DIGEST-VALUE", "src", "dst"), c("DEBUG", "DIGEST"),
	}}
}
