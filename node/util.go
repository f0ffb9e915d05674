package node

import (
	"strconv"

	"github.com/replsim/replsim/node/listpack"
	"github.com/replsim/replsim/node/resp"
)

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func encodeCommand(args ...string) []byte { return resp.AppendCommandStrings(nil, args...) }

// parseInt parses a Redis integer argument (string2ll rules: no spaces, no
// leading '+', no leading zeros except "0"): the same rules as a listpack's
// integer strings.
func parseInt(b []byte) (int64, bool) { return listpack.StringToInt(b) }

func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		x, y := b[i], s[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
