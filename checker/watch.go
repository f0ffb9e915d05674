package checker

// Watch transactions: Jepsen's compare-and-set over WATCH (the cluster's
// watch family), an OpTx of Mode TxWatch sent one command per round trip:
//
//	WATCH keys; GET k; MULTI; the queued commands; EXEC
//
// Sub[0] is the GET, Sub[1:] the queued commands; Int is 1 when EXEC ran
// them, 0 when it answered nil (a watched key changed or expired). EXEC
// runs only if no write touched a watched key (and none expired) since
// WATCH, so k held GET's value when the transaction ran: the model judges
// the GET as the transaction's first command, at its one instant, which
// makes the whole a CAS. A nil EXEC ran nothing, and only the GET is
// judged, anywhere in the operation's interval (a nil is always allowed:
// the checker cannot know every change Redis counts, such as an eviction
// of a key that then came back). Mode TxUnwatch sends UNWATCH after the
// GET: EXEC then always runs, and the GET, no longer tied to it, is not
// judged.
// TxRewatch sends WATCH twice (watching a key already watched changes
// nothing), TxWatchInMulti sends WATCH again after MULTI (an error, not
// queued, that leaves the transaction as it was): both are judged as
// TxWatch.
const (
	TxWatch        = "WATCH"
	TxUnwatch      = "UNWATCH"
	TxRewatch      = "REWATCH"
	TxWatchInMulti = "WATCHIN"
)

// IsWatchTx reports whether op is a watch transaction.
func (o *Op) IsWatchTx() bool {
	switch o.Mode {
	case TxWatch, TxUnwatch, TxRewatch, TxWatchInMulti:
		return o.Kind == OpTx
	}
	return false
}

// txCommands are the commands of transaction op the checkers judge as
// having run together: all of Sub, or for a watch transaction what its
// outcome says.
func txCommands(op *Op) []Op {
	if op.Discard {
		return nil
	}
	if !op.IsWatchTx() || len(op.Sub) == 0 {
		return op.Sub
	}
	switch {
	case op.Mode == TxUnwatch:
		return op.Sub[1:]
	case !op.Unknown && op.Err == "" && op.Int == 0:
		return op.Sub[:1]
	}
	return op.Sub
}
