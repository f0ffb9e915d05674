package checker

import "fmt"

// CheckUnanswered: a request whose node ran it and then owed its
// connection nothing, with the connection open at both ends and nothing in
// flight, got no reply: Redis answers every command a client sends with
// its replies on (the client's requests always end with a command that
// replies). The harness decides "owed nothing" from the node's own state
// when the client gives up (cluster/unanswered.go), so a network fault, a
// pause or a blocked command never counts.
func CheckUnanswered(ops []Op) []Violation {
	agg := newAggregator()
	for i := range ops {
		op := &ops[i]
		if !op.Unanswered {
			continue
		}
		agg.addV("unanswered", Violation{Detail: fmt.Sprintf(
			"client %d sent %s to %s at %s and gave up at %s with no reply, while the node had run the request and owed the open connection nothing: a reply was dropped",
			op.Client, op.Describe(), op.Node, seconds(op.Call), seconds(op.Return)),
			At: op.Return, Nodes: []string{op.Node}, Keys: opKeys(op), Ops: []OpRef{op.Ref()}})
	}
	return agg.violations(PropLiveness)
}
