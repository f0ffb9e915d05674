package cluster

import (
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
)

// noteLoadEncodings reads node s's keys and encodings as one of its RDB
// loads logs its end, for checker.CheckLoadEncodings.
func (s *simNode) noteLoadEncodings(l *checker.LogLine) {
	if s.node == nil || !strings.HasPrefix(l.Msg, "Done loading RDB") {
		return
	}
	limit := func(name string) int64 {
		v, _ := s.node.ConfigGet(name)
		n, _ := strconv.ParseInt(v, 10, 64)
		return n
	}
	s.h.rec.loadEncodings = append(s.h.rec.loadEncodings, checker.LoadEncodings{Node: s.name, Gen: s.gen, At: l.At,
		Limits: checker.EncodingLimits{
			HashEntries: limit("hash-max-listpack-entries"), HashValue: limit("hash-max-listpack-value"),
			ZsetEntries: limit("zset-max-listpack-entries"), ZsetValue: limit("zset-max-listpack-value"),
			IntsetEntries: limit("set-max-intset-entries")},
		Keys: s.node.Encodings()})
}

// LoadEncodings are the nodes' datasets as their RDB loads ended.
func (h *Cluster) LoadEncodings() []checker.LoadEncodings { return h.rec.loadEncodings }
