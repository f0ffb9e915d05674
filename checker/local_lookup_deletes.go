package checker

import (
	"slices"
	"strings"
)

// A write on a writable replica looks its key up for writing (Redis's
// LOOKUP_WRITE), and that lookup deletes a key whose TTL passed on the
// replica's clock, though its master, on its own clock, still has it and
// sends no DEL: the replica then lacks the key, and the master's later
// writes to it (an INCR, an RPUSH) make values there that the master
// never had. Most writes mark their key anyway (taintedKeys); these do
// not, as the key was missing to them: SET ... XX answered nil, PEXPIRE
// answered 0, SETRANGE of an empty string, and a write refused because
// its key was missing (LSET and RENAME: "no such key") or, missing, would
// outgrow proto-max-bulk-len (SETRANGE). Checked against redis-server
// 7.0.15 with a master whose keys it had not expired yet (DEBUG
// SET-ACTIVE-EXPIRE 0): after each, the writable replica's DBSIZE had
// dropped by one and its expired_keys counted it. Also every key of a
// write of several keys refused with WRONGTYPE, and of an SMOVE that
// moved nothing: smoveCommand (t_set.c) looks up its source and its
// destination for writing before it checks either. And every key a
// blocking command answered with an UNBLOCKED error (its node's change of
// role, CLIENT UNBLOCK ... ERROR) had blocked on: it blocked because each
// was missing to its lookup for writing (blockingPopGenericCommand and
// blockingGenericZpopCommand look up every key, blmoveGenericCommand
// its source only, before blockForKeys). And the key of a RESTORE without
// REPLACE refused after its lookup for writing (restoreCommand, cluster.c,
// checks that the key is missing with lookupKeyWrite before it parses the
// TTL and verifies the payload): a bad payload, a bad TTL (chaos seed
// 2039587: RESTORE k3 with a corrupt payload on a writable replica whose
// clock had passed k3's TTL deleted it there, and its master's next INCR
// k3 made a "1" with no TTL there, which HGETALL then answered WRONGTYPE
// for, where the master's k3 was still alive).

// errNoSuchKey is LSET's and RENAME's error for a missing key.
const errNoSuchKey = "ERR no such key"

// lookupDeletes returns, for each local write that may have deleted its
// key by its lookup alone, a DEL of that key on its node, in its interval.
func lookupDeletes(local []Op) []Op {
	var out []Op
	for i := range local {
		op := &local[i]
		for _, k := range lookupDeleted(op) {
			del := *op
			del.Kind, del.Key, del.DB, del.Int, del.Inferred = OpDel, k.key, k.db, 1, true
			del.Err, del.Mode, del.Args, del.Sub, del.Key2, del.Value, del.Value2, del.TTL = "", "", nil, nil, "", "", "", 0
			out = append(out, del)
		}
	}
	return out
}

// lookupDeleted lists the keys op may have deleted only by looking them
// up for writing (see above). An operation with no reply is assumed to
// have written them (keyWrites).
func lookupDeleted(op *Op) []dbKey {
	if op.Unknown {
		return nil
	}
	if op.Kind == OpTx {
		if op.Err != "" {
			return nil // refused: nothing ran
		}
		var out []dbKey
		for _, sub := range txCommands(op) {
			out = append(out, lookupDeleted(&sub)...)
		}
		return out
	}
	smoveNone := op.Kind == OpCmd && op.Err == "" && len(op.Args) == 4 && strings.EqualFold(op.Args[0], "SMOVE") && op.Int == 0
	if op.Kind == OpCmd && (isWrongType(op.Err) && len(CmdKeys(op.Args)) > 1 || smoveNone) {
		// A write of several keys refused for one key's type has looked
		// them all up for writing first (one WRONGTYPE key of one key was
		// there, not deleted): SMOVE looks up its source and its destination
		// before either type check (gate seed 95215: SMOVE k0 k1 on a
		// writable replica, k0 a string, deleted k1, expired there), also
		// when it then finds no source and answers 0.
		var out []dbKey
		for _, p := range CmdKeys(op.Args) {
			out = append(out, dbKey{op.DB, op.Args[p]})
		}
		return out
	}
	if keys := blockedOn(op); keys != nil {
		return keys
	}
	if restoreLookedUp(op) {
		return []dbKey{{op.DB, op.Args[1]}}
	}
	missing := false
	switch {
	case op.Err == errNoSuchKey || op.Err == errStringTooLong:
		missing = true
	case op.Err != "":
	case op.Kind == OpSetXX, op.Kind == OpExpire:
		missing = op.Int == 0
	case op.Kind == OpSetRange:
		missing = op.Value == "" && op.Int == 0
	}
	if !missing || op.Key == "" {
		return nil
	}
	return []dbKey{{op.DB, op.Key}}
}

// restoreLookedUp says op is a RESTORE without REPLACE refused with an
// error restoreCommand gives after it looked its key up for writing (the
// errors of its options come before; BUSYKEY found the key alive).
func restoreLookedUp(op *Op) bool {
	if op.Kind != OpCmd || op.Err == "" || len(op.Args) < 4 || !strings.EqualFold(op.Args[0], "RESTORE") {
		return false
	}
	if e := restoreArgErrors(op.Args); e != "" && e != argsUnjudged {
		return false // an option refused before the lookup
	}
	for _, a := range op.Args[4:] {
		if strings.EqualFold(a, "REPLACE") {
			return false // no lookup: REPLACE deletes the key only once restored
		}
	}
	switch op.Err {
	case errArgNotInt, "ERR Invalid TTL value, must be >= 0",
		"ERR DUMP payload version or checksum are wrong", "ERR Bad data format":
		return true
	}
	return false
}

// blockedOn lists the keys a blocking command that answered an UNBLOCKED
// error had blocked on: BLMOVE's and BRPOPLPUSH's source, the other
// blocking pops' every key (nil for any other operation).
func blockedOn(op *Op) []dbKey {
	if op.Kind != OpCmd || !strings.HasPrefix(op.Err, "UNBLOCKED ") || len(op.Args) == 0 {
		return nil
	}
	name := strings.ToUpper(op.Args[0])
	if !slices.Contains(blockingCmds, name) {
		return nil
	}
	keys := CmdKeys(op.Args)
	if name == "BLMOVE" || name == "BRPOPLPUSH" {
		keys = keys[:min(len(keys), 1)]
	}
	var out []dbKey
	for _, p := range keys {
		out = append(out, dbKey{op.DB, op.Args[p]})
	}
	return out
}
