package checker

import (
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
)

// BenchmarkCheckLinearizable100k checks a generated 100,000-operation
// history (8 clients, 8 keys, one reply in 500 lost). The goal is well
// under a second per check.
func BenchmarkCheckLinearizable100k(b *testing.B) {
	ops := genHistory(1, 100_000, 8, 8, 500)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := CheckLinearizable(ops, time.Minute)
		if res.Result != porcupine.Ok {
			b.Fatalf("generated history judged %s: %v", res.Result, res.Violations)
		}
	}
}

// BenchmarkCheckPrefix100k replays a 100,000-write master stream and
// checks a replica that applied all of it and answered 10,000 reads.
func BenchmarkCheckPrefix100k(b *testing.B) {
	in := genStreamInput(100_000, 10_000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := CheckPrefix(in)
		if len(res.Violations) > 0 {
			b.Fatal(res.Violations)
		}
	}
}
