package sim

import (
	"hash/fnv"
	"math/rand/v2"
)

// Rand is a deterministic random stream. It wraps math/rand/v2 over a PCG
// source seeded from the world seed and the stream's name, so adding a new
// consumer never shifts the numbers another stream draws.
type Rand struct {
	*rand.Rand
	src *rand.PCG
}

// NewRand returns the stream called name for seed.
func NewRand(seed uint64, name string) *Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	src := rand.NewPCG(seed, h.Sum64()^0x9e3779b97f4a7c15)
	return &Rand{Rand: rand.New(src), src: src}
}

// Rand returns the stream called name, creating it on first use.
func (w *World) Rand(name string) *Rand {
	if r, ok := w.streams[name]; ok {
		return r
	}
	r := NewRand(w.seed, name)
	w.streams[name] = r
	return r
}

// Chance reports true with probability p.
func (r *Rand) Chance(p float64) bool { return r.Float64() < p }

// Between returns a uniform value in [lo, hi].
func (r *Rand) Between(lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	return lo + r.Int64N(hi-lo+1)
}
