package node

import (
	"strconv"
	"strings"
)

// zsetWorkload adds sorted sets on both sides of the listpack limits
// (128 members, 64-byte members) to typesWorkload, with integer, float,
// infinite and negative-zero scores, in two dbs and with an expiry.
func zsetWorkload(do func(args ...string) string) []string {
	long := strings.Repeat("compressible-", 8)
	do("ZADD", "z:lp", "1", "a", "1.5", "b", "-inf", "c", "inf", "d", "-0", "e", "1e20", "f", "0.1", "g", "4611686018427387904", "h",
		"-12345", "i", "3", long[:64])
	do("ZADD", "z:longmember", "1", long)
	zadd := []string{"ZADD", "z:129"}
	for i := 0; i < 129; i++ {
		zadd = append(zadd, strconv.Itoa(i%13)+"."+strconv.Itoa(i), "m"+strconv.Itoa(i))
	}
	do(zadd...)
	do(append([]string{"ZADD", "z:128"}, zadd[2:258]...)...)
	big := []string{"ZADD", "z:big"}
	for i := 0; i < 2000; i++ {
		big = append(big, strconv.Itoa(i%97), long[:i%60]+strconv.Itoa(i))
	}
	do(big...)
	do("ZADD", "z:ttl", "-inf", "x", "inf", "y")
	do("PEXPIRE", "z:ttl", "100000000")
	do("SELECT", "3")
	do("ZADD", "z:db3", "2", "x")
	do("SELECT", "0")
	return []string{"z:lp", "z:longmember", "z:129", "z:128", "z:big", "z:ttl"}
}
