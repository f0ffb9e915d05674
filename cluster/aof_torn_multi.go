package cluster

import (
	"bytes"
	"math"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node/resp"
)

// tornInsideMulti is the disk's TornCut for s: in a third of the torn
// crashes that leave an incr AOF file, it cuts the file's unsynced tail
// right after a whole command inside a MULTI, when there is such a point:
// Redis 7.0.15 then logs "Revert incomplete MULTI/EXEC transaction in AOF
// file %s" and cuts before the MULTI (aof-load-truncated yes), or refuses
// the file (no). A cut at a random byte almost never lands there, so the
// revert went unfed.
func (h *Cluster) tornInsideMulti(path string, data []byte, synced int) int {
	if !checker.IsIncrAOF(path) || !h.w.Rand("crash/torn-multi").Chance(1.0/3) {
		return -1
	}
	cuts := multiCuts(data)
	var ok []int
	for _, c := range cuts {
		if c >= synced {
			ok = append(ok, c)
		}
	}
	if len(ok) == 0 {
		return -1
	}
	return ok[h.w.Rand("crash/torn-multi-at").IntN(len(ok))]
}

// multiCuts lists the offsets in an AOF's bytes that end a whole command
// inside a MULTI (after MULTI and at least one command, before its EXEC).
func multiCuts(data []byte) []int {
	lim := resp.DefaultLimits
	lim.MaxBulkLen = math.MaxInt64
	var out []int
	var argv [][]byte
	inMulti := false
	for off := 0; off < len(data); {
		if data[off] == '#' { // an annotation line (aof-timestamp-enabled)
			nl := bytes.IndexByte(data[off:], '\n')
			if nl < 0 {
				break
			}
			off += nl + 1
			continue
		}
		args, k, err := resp.ParseCommand(data[off:], argv[:0], &lim)
		if err != nil || k == 0 {
			break
		}
		argv, off = args, off+k
		if len(args) == 0 {
			continue
		}
		switch name := strings.ToLower(string(args[0])); {
		case name == "multi":
			inMulti = true
		case name == "exec":
			inMulti = false
		case inMulti:
			out = append(out, off)
		}
	}
	return out
}
