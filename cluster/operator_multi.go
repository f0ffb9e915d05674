package cluster

import (
	"fmt"
	"strings"

	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/resp"
)

// AdminMulti implements fault.Target: MULTI, the command args, EXEC from
// the operator's console of a live node, in one write. Inside EXEC Redis
// schedules a BGSAVE, a BGREWRITEAOF, or the rewrite CONFIG SET
// appendonly yes needs, rather than fork (server.in_exec): the reply to a
// BGSAVE or BGREWRITEAOF is kept for the child-jobs checks, and a CONFIG
// SET goes into the node's config file, as ConfigSet does.
func (h *Cluster) AdminMulti(name string, args ...string) error {
	s, err := h.liveNode(name)
	if err != nil {
		return err
	}
	if s.exiting || s.node.Down() {
		return fmt.Errorf("node %s has exited", name)
	}
	gen, at, logFrom := s.gen, int64(h.w.Now()), len(h.rec.logs)
	h.recordOperatorCall(name, at, args)
	req := resp.AppendCommandStrings(nil, "MULTI")
	req = resp.AppendCommandStrings(req, args...)
	req = resp.AppendCommandStrings(req, "EXEC")
	session := s.node.AdminPipeline(req)
	raw := session.Replies()
	session.HangUp()
	v, err := execReply(raw)
	l := h.w.Log().S("op ").S(name).S(" MULTI ; ").S(strings.Join(args, " ")).S(" ; EXEC -> ")
	if err != nil {
		l.S(err.Error()).End()
	} else {
		l.S(v.String()).End()
		s.recordChildReply(gen, at, logFrom, true, args, v, nil) // record_child.go
	}
	s.checkExit()
	h.observeRoles()
	switch {
	case err != nil:
		return fmt.Errorf("%s: %v", name, err)
	case v.Kind == resp.Error:
		return fmt.Errorf("%s: %s", name, v.Str)
	}
	if len(args) == 4 && strings.EqualFold(args[0], "CONFIG") && strings.EqualFold(args[1], "SET") && !s.node.Down() {
		live := s.node.Config()
		if err := node.CopyDirective(&s.cfg, &live, args[2]); err != nil {
			panic(err) // the node just accepted the directive
		}
		h.rewriteConfig(s) // config_rewrite.go
	}
	return nil
}

// execReply reads the replies to MULTI, one command and EXEC from raw:
// +OK, +QUEUED, then EXEC's array of the command's one reply, which it
// returns. A refusal of any of them (EXECABORT, a command refused as it is
// queued) comes back as an error.
func execReply(raw []byte) (resp.Value, error) {
	var vs []resp.Value
	for len(raw) > 0 {
		v, k, err := resp.ParseValue(raw)
		if err != nil || k == 0 {
			return resp.Value{}, fmt.Errorf("unreadable reply %q", raw)
		}
		vs = append(vs, v.Clone())
		raw = raw[k:]
	}
	if len(vs) != 3 {
		return resp.Value{}, fmt.Errorf("%d replies to MULTI, a command and EXEC", len(vs))
	}
	for _, v := range vs[:2] {
		if v.Kind == resp.Error {
			return resp.Value{}, fmt.Errorf("%s", v.Str)
		}
	}
	exec := vs[2]
	if exec.Kind == resp.Error {
		return resp.Value{}, fmt.Errorf("%s", exec.Str)
	}
	if exec.Kind != resp.Array || len(exec.Array) != 1 {
		return resp.Value{}, fmt.Errorf("EXEC answered %s", exec.String())
	}
	return exec.Array[0], nil
}
