package difftest

import (
	"bytes"
	"slices"

	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/node/resp"
)

// compareDump compares two DUMP replies: equal bytes, or two valid
// payloads of a hash or set in a table encoding with the same elements
// (the order of a table is each server's own).
func compareDump(a, b resp.Value) (bool, string) {
	if a.Kind != resp.BulkString || a.Null || b.Null {
		if a.Null == b.Null && bytes.Equal(a.Str, b.Str) {
			return true, ""
		}
		return false, "replies differ"
	}
	if bytes.Equal(a.Str, b.Str) {
		return true, ""
	}
	if rdb.VerifyDump(a.Str, false) != nil || rdb.VerifyDump(b.Str, false) != nil {
		return false, "payloads differ and one has a bad footer"
	}
	ea, errA := rdb.ParseDump(a.Str, "")
	eb, errB := rdb.ParseDump(b.Str, "")
	if errA != nil || errB != nil || ea.Type != eb.Type {
		return false, "payloads differ in type or validity"
	}
	switch ea.Type {
	case rdb.TypeSet:
		if slices.Equal(sorted(ea.Items), sorted(eb.Items)) {
			return true, ""
		}
	case rdb.TypeHash:
		if slices.Equal(sorted(pairsOf(ea.Items)), sorted(pairsOf(eb.Items))) {
			return true, ""
		}
	}
	return false, "payloads differ"
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

func pairsOf(items []string) []string {
	out := make([]string, 0, len(items)/2)
	for i := 0; i+1 < len(items); i += 2 {
		out = append(out, items[i]+"\x00"+items[i+1])
	}
	return out
}
