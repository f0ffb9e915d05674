package checker

import "github.com/replsim/replsim/tap"

// The persistence policy each acknowledged write was promised. An operator
// may change appendonly, appendfsync and save while the node runs (CONFIG
// SET, kept for restarts as CONFIG REWRITE would): what a write was
// promised is what was in force while it ran, not what the node had when
// it crashed. Where the record leaves room for doubt, the promise is the
// lesser one:
//
//   - appendfsync always fsyncs before the reply, so a write that ran
//     entirely under it is on disk whatever the policy became later;
//   - a write that ran partly under another policy, or under everysec or
//     no, gets the loss window of the weakest policy in force from its
//     call until the crash (a later switch to no may leave it unsynced);
//   - if the AOF was off at any instant from the write's call until the
//     crash, or the node restarts with appendonly no (it then loads its
//     RDB), the AOF promised the write nothing: only the RDB's promise
//     holds, that no key comes back with a value no write gave it. (A
//     switch to appendonly yes starts a rewrite whose base holds earlier
//     writes too; they are not promised until it is known to be on disk,
//     which the record does not say.) Writes while the AOF waits for that
//     rewrite are promised nothing by a crash before it ends
//     (durability_wait.go).

// The policies' names in violations.
const (
	policyAlways   = "appendfsync always"
	policyEverysec = "appendfsync everysec"
	policyNo       = "appendfsync no"
	policyRDB      = "RDB snapshots only"
	// policyWaitRewrite: the AOF waited for the rewrite that turns it on.
	policyWaitRewrite = "an AOF waiting for its first rewrite"
)

// promise returns the loss window before the crash that w, one of restart
// r's node's writes, was promised (0: none, -1: only the RDB's promise)
// and the policy's name.
func (in *DurabilityInput) promise(log settingsLog, r *Restart, w write) (window int64, policy string) {
	byPolicy := func(p string) (int64, string) {
		switch p {
		case "always":
			return 0, policyAlways
		case "no":
			return int64(in.NoFsyncWindow), policyNo
		}
		return int64(in.EverysecWindow), policyEverysec
	}
	if !r.Persistence.AppendOnly {
		return -1, policyRDB
	}
	until, ok := log.during(r.Node, w.op.Call, r.CrashAt)
	if !ok {
		return byPolicy(r.Persistence.AppendFsync)
	}
	weakest := "always"
	for _, s := range until {
		if s.At >= r.CrashAt && s.At > w.op.Call {
			break
		}
		if !s.AppendOnly {
			return -1, policyRDB
		}
		if s.AppendFsync == "no" || (s.AppendFsync == "everysec" && weakest == "always") {
			weakest = s.AppendFsync
		}
	}
	if weakest != "always" && log.throughout(r.Node, w.op.Call, w.ret(), func(s tap.Settings) bool {
		return s.AppendOnly && s.AppendFsync == "always"
	}) {
		weakest = "always"
	}
	return byPolicy(weakest)
}
