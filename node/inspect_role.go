package node

import "github.com/replsim/replsim/node/resp"

// RoleValue is what ROLE would answer now, parsed, read without running a
// command: no maxmemory eviction, no statistics, no flush. The harness reads
// it after the run, when a command's side effects (an eviction's DEL) would
// change the state the checkers judge.
func (n *Node) RoleValue() (resp.Value, error) {
	c := &client{n: n, id: -1, authed: true}
	roleCommand(n, c, nil)
	n.dequeue(c)
	v, _, err := parseReply(c.out)
	return v, err
}
