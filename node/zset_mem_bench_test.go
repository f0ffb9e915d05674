package node

import (
	"runtime"
	"strconv"
	"testing"
)

// BenchmarkZsetMemory reports the live heap a big sorted set costs per
// member (B/member), built as scripts/memory-vs-redis.sh's zset dataset is:
// members "element:N" with score N, added 1,000 at a time through ZADD.
// Set ZSET_MEM_MEMBERS-like sizes with -benchtime=Nx: b.N is the member
// count.
func BenchmarkZsetMemory(b *testing.B) {
	members := max(b.N, 1000)
	tn := startNode(b, DefaultConfig(), nil)
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	before := heap()
	for i := 0; i < members; i += 1000 {
		args := []string{"ZADD", "coll"}
		for j := i; j < min(i+1000, members); j++ {
			args = append(args, strconv.Itoa(j), "element:"+strconv.Itoa(j))
		}
		tn.do(args...)
	}
	after := heap()
	b.ReportMetric(float64(after-before)/float64(members), "B/member")
	b.ReportMetric(0, "ns/op")
	runtime.KeepAlive(tn)
}
