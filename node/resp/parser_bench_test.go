package resp

import (
	"strconv"
	"testing"
)

// readChunk is what one read of the real driver delivers at most.
const benchChunk = 16 * 1024

// parseAll runs p over in as a connection would see it delivered in chunks
// of chunk bytes, and returns the number of requests.
func parseAll(b *testing.B, p *Parser, in []byte, chunk int, args [][]byte) int {
	reqs, start := 0, 0
	for end := min(chunk, len(in)); ; end = min(end+chunk, len(in)) {
		for start < end {
			out, n, err := p.Parse(in[start:end], args, nil, false)
			if err != nil {
				b.Fatal(err)
			}
			if n == 0 {
				break
			}
			args = out
			start += n
			reqs++
		}
		if end == len(in) {
			return reqs
		}
	}
}

func BenchmarkParserSmallCommand(b *testing.B) {
	in := AppendCommandStrings(nil, "SET", "key:000123", "some-value-of-moderate-length")
	var p Parser
	args := make([][]byte, 0, 8)
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		parseAll(b, &p, in, benchChunk, args)
	}
}

// A -P16 pipeline of SETs arriving in one read.
func BenchmarkParserPipeline16(b *testing.B) {
	var in []byte
	for i := range 16 {
		in = AppendCommandStrings(in, "SET", "key:"+strconv.Itoa(i), "xxx")
	}
	var p Parser
	args := make([][]byte, 0, 8)
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if parseAll(b, &p, in, benchChunk, args) != 16 {
			b.Fatal("short")
		}
	}
}

func msetRequest(pairs int) []byte {
	args := make([][]byte, 0, 1+2*pairs)
	args = append(args, []byte("MSET"))
	for i := range pairs {
		k := []byte("key:" + strconv.Itoa(i))
		args = append(args, k, k)
	}
	return AppendCommand(nil, args...)
}

// A 1M-argument MSET delivered in 16 KB reads, as the real driver does:
// the cost stays linear in its size.
func BenchmarkParserMSET1M(b *testing.B) {
	in := msetRequest(500_000)
	var p Parser
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		parseAll(b, &p, in, benchChunk, nil)
	}
}

// The same request in one piece (the simulator may deliver it so).
func BenchmarkParserMSET1MWhole(b *testing.B) {
	in := msetRequest(500_000)
	var p Parser
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		parseAll(b, &p, in, len(in), nil)
	}
}
