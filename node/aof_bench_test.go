package node

import (
	"testing"

	"github.com/replsim/replsim/node/resp"
)

// BenchmarkAOFWrite measures one SET through the node with the AOF on
// (everysec): parse, execute, feed, write, reply.
func BenchmarkAOFWrite(b *testing.B) {
	tn := startNode(b, aofConfig("everysec"), nil)
	req := resp.AppendCommandStrings(nil, "SET", "key", "value-of-some-length")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tn.env.sent[tn.conn] = tn.env.sent[tn.conn][:0]
		tn.n.OnData(tn.conn, req)
	}
}

// BenchmarkParseAOFCommands measures reading an AOF of 10,000 SETs.
func BenchmarkParseAOFCommands(b *testing.B) {
	var data []byte
	for i := 0; i < 10000; i++ {
		data = resp.AppendCommandStrings(data, "SET", "key:"+itoa(int64(i)), "value-of-some-length")
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, _, err := parseAOFCommands(data); err != nil {
			b.Fatal(err)
		}
	}
}
