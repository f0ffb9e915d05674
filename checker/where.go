package checker

import (
	"bytes"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/tap"
)

// What a violation names, for its structured fields (Violation.Keys and
// friends): helpers that read keys out of stream bytes and datasets.

// streamKeys returns the keys the commands in stream bytes p write, in
// order of first appearance (none for bytes that do not parse).
func streamKeys(p []byte) []string {
	lim := resp.DefaultLimits
	lim.MaxBulkLen = math.MaxInt64
	buf := bytes.Clone(p)
	var out []string
	seen := map[string]bool{}
	for off := 0; off < len(buf); {
		args, k, err := resp.ParseCommand(buf[off:], nil, &lim)
		if err != nil || k == 0 {
			break
		}
		off += k
		if len(args) < 2 {
			continue
		}
		switch strings.ToUpper(string(args[0])) {
		case "SELECT", "PING", "REPLCONF", "MULTI", "EXEC", "FLUSHALL", "FLUSHDB":
			continue
		}
		if key := string(args[1]); !seen[key] {
			seen[key] = true
			out = append(out, key)
		}
	}
	return out
}

// diffKeys returns up to max keys whose value differs between two sorted
// datasets (as DiffData lists them), sorted.
func diffKeys(want, got []tap.KeyValue, max int) []string {
	seen := map[string]bool{}
	var out []string
	add := func(key string) {
		if !seen[key] && len(out) < max {
			seen[key] = true
			out = append(out, key)
		}
	}
	less := func(a, b tap.KeyValue) bool { return a.DB < b.DB || (a.DB == b.DB && a.Key < b.Key) }
	for i, j := 0, 0; i < len(want) || j < len(got); {
		switch {
		case j >= len(got) || (i < len(want) && less(want[i], got[j])):
			add(want[i].Key)
			i++
		case i >= len(want) || less(got[j], want[i]):
			add(got[j].Key)
			j++
		default:
			if want[i] != got[j] {
				add(want[i].Key)
			}
			i++
			j++
		}
	}
	sort.Strings(out)
	return out
}

// opKeys returns the keys an operation names.
func opKeys(op *Op) []string {
	var out []string
	add := func(k string) {
		if k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	add(op.Key)
	add(op.Key2)
	if op.Kind == OpCmd {
		for _, p := range CmdKeys(op.Args) {
			add(op.Args[p])
		}
	}
	for i := range op.Sub {
		add(op.Sub[i].Key)
	}
	return out
}

// writeRefs returns the operations of writes.
func writeRefs(ws []write) []OpRef {
	out := make([]OpRef, len(ws))
	for i, w := range ws {
		out[i] = w.op.Ref()
	}
	return out
}
