package node

import (
	"testing"

	"github.com/replsim/replsim/node/resp"
)

// BenchmarkMSetHuge measures one MSET of 500,000 new keys (1M arguments,
// 15 MB) on an empty node: parse, execute, propagate, reply.
func BenchmarkMSetHuge(b *testing.B) {
	var req []byte
	req = append(req, "*1000001\r\n$4\r\nMSET\r\n"...)
	for i := 0; i < 500000; i++ {
		k := "key:" + itoa(int64(i))
		req = resp.AppendBulkString(req, k)
		req = resp.AppendBulkString(req, k)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		tn := startNode(b, DefaultConfig(), nil)
		b.StartTimer()
		tn.n.OnData(tn.conn, req)
	}
}
