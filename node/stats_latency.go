package node

import (
	"math/bits"
	"sort"
)

// latencyHist is the latency histogram Redis keeps per command (an HDR
// histogram over 1 ns .. 1 s with 2 significant digits): values below 256
// are kept exactly, larger ones in buckets whose width doubles with each
// power of two, so a percentile reads back as the highest value of its
// bucket, as Redis reports it. Memory is bounded by the bucket count
// (a few thousand at most), whatever the number of samples.
type latencyHist struct {
	counts map[int64]int64 // lowest value of a bucket -> samples in it
	total  int64
}

const (
	latencyMinNs = 1
	latencyMaxNs = 1_000_000_000
	// hdrSubBucketMask and hdrHalfMagnitude follow from 2 significant
	// digits: 256 sub-buckets, half of them 2^7.
	hdrSubBucketMask = 255
	hdrHalfMagnitude = 7
)

// hdrBucket returns the lowest and highest values equivalent to v.
func hdrBucket(v int64) (lo, hi int64) {
	pow2ceil := 64 - bits.LeadingZeros64(uint64(v|hdrSubBucketMask))
	bucket := pow2ceil - (hdrHalfMagnitude + 1)
	sub := v >> bucket
	lo = sub << bucket
	return lo, lo + (1 << bucket) - 1
}

func (h *latencyHist) record(ns int64) {
	ns = min(max(ns, latencyMinNs), latencyMaxNs)
	lo, _ := hdrBucket(ns)
	if h.counts == nil {
		h.counts = make(map[int64]int64)
	}
	h.counts[lo]++
	h.total++
}

// valueAt is hdr_value_at_percentile: the highest value equivalent to the
// bucket holding the sample at percentile p (the lowest one for p 0).
func (h *latencyHist) valueAt(p float64) int64 {
	want := int64(min(p, 100)/100*float64(h.total) + 0.5)
	want = max(want, 1)
	keys := make([]int64, 0, len(h.counts))
	for k := range h.counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	var seen, v int64
	for _, k := range keys {
		seen += h.counts[k]
		if seen >= want {
			v = k
			break
		}
	}
	lo, hi := hdrBucket(v)
	if p == 0 {
		return lo
	}
	return hi
}
