package checker

import (
	"fmt"
	"strings"
)

// applyCmd applies a command of the registry (command.go) found in a
// replication stream. A command a correct master never propagates as sent
// (SPOP, HINCRBYFLOAT: their effect depends on a random draw or on the
// platform) is a violation of its own: the stream records it (nondet).
func (r *replayer) applyCmd(args [][]byte, pos int64, bad func() string) string {
	sargs := strArgs(args)
	sargs[0] = strings.ToUpper(sargs[0])
	c := lookupCmd(sargs)
	switch {
	case c == nil:
		return bad()
	case c.never != "":
		if r.s.nondet == "" {
			r.s.nondet = fmt.Sprintf("%s propagated %s as sent at offset %d: %s",
				r.s.owner, strings.Join(quoteArgs(sargs), " "), pos, c.never)
			r.s.nondetAt = pos
		}
		return bad()
	case c.apply == nil || !c.write:
		return bad()
	}
	if why := c.apply(sargs, replayKeys{r, pos}); why != "" {
		return fmt.Sprintf("%s at offset %d: %s", strings.Join(quoteArgs(sargs), " "), pos, why)
	}
	return ""
}

func quoteArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if strings.ContainsAny(a, " \"\\") || a == "" {
			out[i] = fmt.Sprintf("%q", a)
		}
	}
	return out
}

// replayKeys is the replayer's current db as a command's apply sees it.
type replayKeys struct {
	r   *replayer
	pos int64
}

func (d replayKeys) get(key string) Value    { return d.here().get(key) }
func (d replayKeys) put(key string, v Value) { d.here().put(key, v) }
