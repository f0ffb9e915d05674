package node

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/replsim/replsim/node/resp"
)

// Full iterations of SCAN over n keys and of HSCAN over an n-field hash,
// COUNT 10 (Redis's default), one op being the whole iteration; and one
// such call at cursor 0. Before the dense cursor each call hashed and
// sorted the whole keyspace or hash, so a full iteration was quadratic.

var scanBenchSizes = []int{10000, 1000000}

func scanBenchKeys(b *testing.B, size int) *testNode {
	tn := startNode(b, DefaultConfig(), nil)
	tn.send("DEBUG", "POPULATE", strconv.Itoa(size))
	return tn
}

func scanBenchHash(b *testing.B, size int) *testNode {
	tn := startNode(b, DefaultConfig(), nil)
	const chunk = 10000
	for i := 0; i < size; i += chunk {
		req := append([]byte(nil), "*"+strconv.Itoa(2+2*min(chunk, size-i))+"\r\n$4\r\nHSET\r\n$1\r\nh\r\n"...)
		for j := i; j < min(i+chunk, size); j++ {
			f := "field:" + strconv.Itoa(j)
			req = resp.AppendBulkString(req, f)
			req = resp.AppendBulkString(req, f)
		}
		tn.env.sent[tn.conn] = nil
		tn.n.OnData(tn.conn, req)
	}
	return tn
}

// benchCursor reads the cursor out of a SCAN reply (*2\r\n$N\r\nCURSOR...).
func benchCursor(b *testing.B, raw []byte) string {
	if !bytes.HasPrefix(raw, []byte("*2\r\n$")) {
		b.Fatalf("bad reply %q", raw)
	}
	rest := raw[bytes.IndexByte(raw[4:], '\n')+5:]
	return string(rest[:bytes.IndexByte(rest, '\r')])
}

func benchFullScan(b *testing.B, tn *testNode, prefix ...string) {
	calls := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cursor := "0"
		for {
			calls++
			args := append(append([]string(nil), prefix...), cursor)
			if cursor = benchCursor(b, tn.send(args...)); cursor == "0" {
				break
			}
		}
	}
	b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
}

func BenchmarkScanFull(b *testing.B) {
	for _, size := range scanBenchSizes {
		b.Run(strconv.Itoa(size), func(b *testing.B) {
			benchFullScan(b, scanBenchKeys(b, size), "SCAN")
		})
	}
}

func BenchmarkHScanFull(b *testing.B) {
	for _, size := range scanBenchSizes {
		b.Run(strconv.Itoa(size), func(b *testing.B) {
			benchFullScan(b, scanBenchHash(b, size), "HSCAN", "h")
		})
	}
}

func BenchmarkScanCall(b *testing.B) {
	for _, size := range scanBenchSizes {
		b.Run(strconv.Itoa(size), func(b *testing.B) {
			tn := scanBenchKeys(b, size)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				tn.send("SCAN", "0")
			}
		})
	}
}

func BenchmarkHScanCall(b *testing.B) {
	for _, size := range scanBenchSizes {
		b.Run(strconv.Itoa(size), func(b *testing.B) {
			tn := scanBenchHash(b, size)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				tn.send("HSCAN", "h", "0")
			}
		})
	}
}
