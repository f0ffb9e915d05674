package checker

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/replsim/replsim/node/resp"
)

func quoteStream(p []byte) string {
	if len(p) > 60 {
		return strconv.Quote(string(p[:60])) + "..."
	}
	return strconv.Quote(string(p))
}

// describeStream renders stream bytes as the commands they hold, e.g.
// `SET k1 "5"; INCR k2`, falling back to quoted bytes.
func describeStream(p []byte) string {
	lim := resp.DefaultLimits
	lim.MaxBulkLen = math.MaxInt64
	buf := bytes.Clone(p)
	var parts []string
	for off := 0; off < len(buf); {
		args, k, err := resp.ParseCommand(buf[off:], nil, &lim)
		if err != nil || k == 0 {
			parts = append(parts, quoteStream(buf[off:]))
			break
		}
		off += k
		if len(args) == 0 {
			parts = append(parts, quoteStream(buf[off-k:off]))
			continue
		}
		s := strings.ToUpper(string(args[0]))
		for _, a := range args[1:] {
			if q := strconv.Quote(string(a)); len(a) == 0 || q[1:len(q)-1] != string(a) || bytes.ContainsAny(a, " ;") {
				s += " " + q
			} else {
				s += " " + string(a)
			}
		}
		parts = append(parts, s)
	}
	if len(parts) > 6 {
		parts = append(parts[:6], fmt.Sprintf("(+%d more)", len(parts)-6))
	}
	return strings.Join(parts, "; ")
}
