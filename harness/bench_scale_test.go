package harness

import (
	"fmt"
	"testing"
)

// BenchmarkSeedOps runs seed 2 of the standard chaos scenario with 10x
// more operations at each step, checks included: CPU time and memory per
// run should grow linearly with the operations (issue 11, Speed).
func BenchmarkSeedOps(b *testing.B) {
	for _, ops := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("ops=%d", ops), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				opts := StandardOptions(2)
				opts.Ops = ops
				res := Run(opts)
				if res.Verdict == VerdictFail {
					b.Fatalf("seed 2 with %d ops failed:\n%s", ops, res.Summary())
				}
			}
		})
	}
}
