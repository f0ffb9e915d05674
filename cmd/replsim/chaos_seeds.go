package main

import (
	"fmt"
	"strconv"
	"strings"
)

// shard is one of n slices of a sweep: seed start+i belongs to shard k iff
// i mod n == k. N machines given K = 0..N-1 split a sweep with no overlap,
// no gap and no coordinator.
type shard struct{ k, n uint64 }

func parseShard(s string) (shard, error) {
	ks, ns, ok := strings.Cut(s, "/")
	k, err1 := strconv.ParseUint(ks, 10, 64)
	n, err2 := strconv.ParseUint(ns, 10, 64)
	if !ok || err1 != nil || err2 != nil || n == 0 || k >= n {
		return shard{}, fmt.Errorf("--shard %q: want K/N with 0 <= K < N, e.g. 0/4", s)
	}
	return shard{k: k, n: n}, nil
}

func (sh shard) String() string { return fmt.Sprintf("%d/%d", sh.k, sh.n) }

// seed returns the i-th seed (from 0) of this shard of a sweep from start.
func (sh shard) seed(start, i uint64) uint64 { return start + sh.k + i*sh.n }

// count returns how many of the total seeds of a sweep fall in this shard.
func (sh shard) count(total uint64) uint64 {
	if sh.k >= total {
		return 0
	}
	return (total-sh.k-1)/sh.n + 1
}

// contains reports whether seed s of a sweep from start is in this shard.
func (sh shard) contains(start, s uint64) bool { return s >= start && (s-start)%sh.n == sh.k }
