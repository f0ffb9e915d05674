package harness

import (
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/cluster"
)

// check runs every checker over what the cluster recorded (each a pure
// function of it), sets the verdict, and returns the checkers' counters
// for the result's stats.
func check(c *cluster.Cluster, opts Options, res *Result) map[string]int64 {
	res.Options = opts
	clocks := c.Clocks()
	linHist := c.LinHistory()
	lin := checker.CheckLinearizableWith(linHist, checker.LinOptions{Timeout: opts.CheckTimeout, ClockSlack: c.ClockSlack(clocks),
		ClockOffset: c.ClockOffset(clocks), Lifetimes: c.Lifetimes(), Settings: c.Settings()})
	res.Violations = append(res.Violations, lin.Violations...)
	res.Violations = append(res.Violations, checker.CheckWatchAborts(linHist, c.Lifetimes(), c.ClockSlack(clocks))...)
	res.Lin = lin

	prefixIn := c.PrefixInput(clocks)
	prefix := checker.CheckPrefix(prefixIn)
	res.Violations = append(res.Violations, prefix.Violations...)
	res.Violations = append(res.Violations, checker.CheckSelectsFirst(prefixIn, c.Settings())...)

	res.Violations = append(res.Violations, checker.CheckDurability(c.DurabilityInput(linHist, clocks))...)
	res.Violations = append(res.Violations, checker.CheckShutdownWaits(c.ShutdownWaitInput())...)
	res.Violations = append(res.Violations, checker.CheckShutdownCalls(c.ShutdownCallsInput(), c.ChildJobsInput().Lines)...)
	res.Violations = append(res.Violations, checker.CheckShutdownNoSave(c.ShutdownCallsInput(), c.ChildJobsInput().Lines)...)
	res.Violations = append(res.Violations, checker.CheckSignalShutdowns(c.ShutdownCallsInput(), c.ChildJobsInput().Lines)...)
	res.Violations = append(res.Violations, checker.CheckCleanRestarts(c.CleanRestartInput())...)
	res.Violations = append(res.Violations, checker.CheckFinalRDBRepl(c.FinalRDBRepls())...)
	res.Violations = append(res.Violations, checker.CheckSavesWhole(c.Saves())...)
	res.Violations = append(res.Violations, checker.CheckLeftIncrsSynced(c.LeftIncrs())...)

	roles := c.Roles()
	prom := checker.CheckPromotion(c.PromotionInput(linHist, roles))
	res.Violations = append(res.Violations, prom.Violations...)

	access := c.AccessInput(roles)
	res.Violations = append(res.Violations, checker.CheckAccess(access)...)
	res.Violations = append(res.Violations, checker.CheckMisconf(access.Ops, c.ChildJobsInput().Lines, access.Settings)...)
	res.Violations = append(res.Violations, checker.CheckMisconfTaken(access.Ops, c.ChildJobsInput().Lines, access.Settings)...)
	res.Violations = append(res.Violations, checker.CheckAOFMisconf(access, c.ChildJobsInput().Lines)...)
	res.Violations = append(res.Violations, checker.CheckFixedReplies(access.Ops)...)
	res.Violations = append(res.Violations, checker.CheckClientReply(access.Ops)...)
	res.Violations = append(res.Violations, checker.CheckExtraReplies(access.Ops)...)
	res.Violations = append(res.Violations, checker.CheckUnanswered(access.Ops)...)
	res.Violations = append(res.Violations, checker.CheckReplicaExpires(c.ReplicaExpiresInput(access.Ops))...)
	res.Violations = append(res.Violations, checker.CheckWriteProbe(c.WriteProbeResult())...)
	res.Violations = append(res.Violations, checker.CheckMonitor(c.MonitorInput())...)
	res.Violations = append(res.Violations, checker.CheckOOM(access.Ops)...)
	res.Violations = append(res.Violations, checker.CheckRestartLoads(c.NodeEvents())...)
	res.Violations = append(res.Violations, checker.CheckRefusalsLogged(c.NodeEvents(), c.ChildJobsInput().Lines)...)
	res.Violations = append(res.Violations, checker.CheckManifestReads(c.NodeEvents(), c.DiskFaults())...)
	res.Violations = append(res.Violations, checker.CheckConfigRewrites(c.ConfigRewrites())...)
	res.Violations = append(res.Violations, checker.CheckReloads(c.Reloads())...)
	res.Violations = append(res.Violations, checker.CheckConfigGets(access.Ops, roles)...)
	res.Violations = append(res.Violations, checker.CheckClientUnblocks(access.Ops)...)
	res.Violations = append(res.Violations, checker.CheckBusy(c.BusyInput(access.Ops, clocks))...)
	logIn := c.LogInput()
	res.Violations = append(res.Violations, checker.CheckNodeLog(logIn)...)
	res.Violations = append(res.Violations, checker.CheckClosedUnanswered(access.Ops, logIn.Exits, logIn.Lines)...)
	res.Violations = append(res.Violations, checker.CheckLoadEncodings(c.LoadEncodings())...)
	res.Violations = append(res.Violations, checker.CheckAOFUpgradeLines(c.AOFMoves(), logIn.Lines)...)
	counters := c.InfoCountersInput()
	res.Violations = append(res.Violations, checker.CheckInfoCounters(counters)...)
	res.Violations = append(res.Violations, checker.CheckInfoReplBuffers(access.Ops)...)
	res.Violations = append(res.Violations, checker.CheckLastSave(counters)...)
	res.Violations = append(res.Violations, checker.CheckScheduledRewrites(counters)...)
	res.Violations = append(res.Violations, checker.CheckRDBChanges(checker.RDBChangesInput{Lines: counters.Lines, Ops: access.Ops,
		ProbeWrites: c.ProbeWrites(), Roles: roles, Ends: counters.Nodes})...)
	for _, in := range c.LinkDownInputs() {
		res.Violations = append(res.Violations, checker.CheckLinkDownSince(in)...)
	}
	var idSamples []checker.ReplIDSample
	for _, in := range c.ReplIDInputs() {
		res.Violations = append(res.Violations, checker.CheckReplIDs(in)...)
		res.Violations = append(res.Violations, checker.CheckBacklogTTL(in)...)
		res.Violations = append(res.Violations, checker.CheckDisklessStart(in)...)
		idSamples = append(idSamples, in.Samples...)
	}
	res.Violations = append(res.Violations, checker.CheckReplIDBytes(idSamples)...)
	fsyncs := c.AOFFsyncInput()
	fsyncs.Clocks = clocks
	res.Violations = append(res.Violations, checker.CheckAOFFsyncs(fsyncs)...)
	res.Violations = append(res.Violations, checker.CheckEverysecFsyncRate(fsyncs)...)
	res.Violations = append(res.Violations, checker.CheckEverysecIdleFsync(fsyncs)...)
	res.Violations = append(res.Violations, checker.CheckRewriteStartFsyncSecond(fsyncs)...)
	res.Violations = append(res.Violations, checker.CheckStartFsyncSecond(fsyncs)...)
	res.Violations = append(res.Violations, checker.CheckChildJobs(c.ChildJobsInput())...)
	res.Violations = append(res.Violations, checker.CheckRDBInstalls(c.RDBInstalls(), c.ChildJobsInput().Lines)...)
	res.Violations = append(res.Violations, checker.CheckRDBSaveCauses(c.RDBSaveCauseInput())...)
	res.Violations = append(res.Violations, checker.CheckReplicaofNoops(c.ReplicaofNoopInput())...)
	jobs := c.ScheduledJobsInput()
	jobs.Ops, jobs.Roles = access.Ops, roles
	res.Violations = append(res.Violations, checker.CheckScheduledJobs(jobs)...)
	res.Violations = append(res.Violations, checker.CheckOperatorReplies(c.ExtraReplies(), c.OperatorExpects())...)
	res.Violations = append(res.Violations, checker.CheckBacklogServes(c.BacklogInput())...)
	replInfo := c.ReplInfoInput()
	res.Violations = append(res.Violations, checker.CheckReplInfo(replInfo)...)
	res.Violations = append(res.Violations, checker.CheckBacklogHistlen(checker.InfoReadings(access.Ops, replInfo), logIn.Lines, logIn.Settings)...)
	res.Violations = append(res.Violations, checker.CheckInfoClients(access.Ops)...)
	manifests := c.Manifests()
	res.Violations = append(res.Violations, checker.CheckManifests(manifests)...)
	res.Violations = append(res.Violations, checker.CheckAOFSizes(manifests)...)
	res.Violations = append(res.Violations, checker.CheckCommandBases(manifests)...)
	res.Violations = append(res.Violations, checker.CheckManifestHistory(manifests)...)
	res.Violations = append(res.Violations, checker.CheckAOFOrphans(manifests)...)
	res.Violations = append(res.Violations, checker.CheckAOFTimestamps(manifests)...)
	incrWrites, diskFaults := c.AOFIncrWrites()
	res.Violations = append(res.Violations, checker.CheckAOFSelects(incrWrites, c.ChildJobsInput().Lines, diskFaults)...)
	res.Violations = append(res.Violations, checker.CheckTempFiles(c.TempFilesInput())...)
	res.Violations = append(res.Violations, checker.CheckOpenFiles(c.OpenFilesInput())...)
	res.Violations = append(res.Violations, checker.CheckRewriteEnds(c.RewriteEndsInput())...)
	res.Violations = append(res.Violations, checker.CheckManifestDamages(c.ManifestDamages())...)
	res.Violations = append(res.Violations, checker.CheckFakeMaster(c.FakeMasterInput())...)
	res.Violations = append(res.Violations, checker.CheckKeepalivePings(c.KeepaliveInput())...)
	res.Violations = append(res.Violations, checker.CheckWaitLatency(c.WaitLatencyInput())...)
	waits, _ := c.WaitLatencyInput()
	res.Violations = append(res.Violations, checker.CheckWaitTimeouts(waits, c.ScheduledJobsInput().Crons)...)
	res.Violations = append(res.Violations, checker.CheckPendingWaits(c.PendingWaits(), c.ScheduledJobsInput().Crons, access.Ops)...)
	res.Violations = append(res.Violations, checker.CheckWaitsUnblockedByReplicaof(waits, logIn.Lines)...)
	minReplicas := c.MinReplicasInput(access.Ops, clocks)
	res.Violations = append(res.Violations, checker.CheckNoReplicas(minReplicas)...)
	res.Violations = append(res.Violations, checker.CheckWritesAfterReplicaLoss(minReplicas)...)

	res.Violations = append(res.Violations, checkConvergence(c)...)
	res.Violations = append(res.Violations, checker.CheckLocalExpiry(c.LocalExpiryInput(clocks))...)
	live, liveStats := checker.CheckLiveness(c.LivenessInput(clocks))
	res.Violations = append(res.Violations, live...)
	steady := c.SteadyInput()
	res.Violations = append(res.Violations, checker.CheckSteadyAcks(steady)...)
	res.Violations = append(res.Violations, checker.CheckWaitProbe(c.WaitProbeResult(), steady)...)
	res.Violations = append(res.Violations, checker.CheckSteadyAckOffsets(steady)...)
	res.Violations = checker.ExcuseFlushallResumes(res.Violations, prefixIn.Chunks, prefixIn.Restarts, prefixIn.FullSyncs)
	res.Violations, res.Hazards = splitHazards(res.Violations)

	switch {
	case lin.Result == porcupine.Unknown && len(res.Violations) == len(lin.Violations):
		res.Verdict = VerdictUnknown
	case len(res.Violations) > 0:
		res.Verdict = VerdictFail
	default:
		res.Verdict = VerdictPass
	}
	return map[string]int64{
		"prefix_reads_checked":     int64(prefix.Checked),
		"prefix_reads_unchecked":   int64(prefix.Unchecked),
		"repl_client_bytes":        prefix.ReplClientBytes,
		"steady_links":             int64(len(steady.Links)),
		"lost_on_failover":         int64(prom.LostOnFailover),
		"wait_covered_writes":      int64(prom.WaitCovered),
		"wait_lost_writes":         int64(prom.WaitLost),
		"acked_writes":             int64(ackedWrites(linHist)),
		"promotions":               int64(c.Promotions()),
		"liveness_replicas_timed":  int64(liveStats.Judged),
		"liveness_slowest_ms":      liveStats.Slowest.Milliseconds(),
		"liveness_budget_permille": liveStats.Tightest,
		"liveness_most_full_syncs": int64(liveStats.MostSyncs),
		"evicted_keys":             int64(c.Evictions()),
	}
}

// checkConvergence compares every live replica with the master at the end
// of the heal phase.
func checkConvergence(c *cluster.Cluster) []checker.Violation {
	master, replicas, ok := c.ConvergenceStates()
	if !ok {
		return nil // nothing to converge to; the liveness of the run says why
	}
	// Run stops the heal phase early only once everything converged, so a
	// replica that lags waited the whole budget.
	waited := time.Duration(healBudget + c.ClockSetBack())
	var out []checker.Violation
	for _, r := range replicas {
		out = append(out, checker.CheckConvergenceWithin(master, r, waited)...)
	}
	return out
}

// splitHazards separates known, documented Redis hazards the run walked
// into (reported, never a failure) from real violations.
func splitHazards(all []checker.Violation) (violations, hazards []checker.Violation) {
	for _, v := range all {
		if v.Check == checker.PropHazard {
			hazards = append(hazards, v)
		} else {
			violations = append(violations, v)
		}
	}
	return violations, hazards
}

// ackedWrites counts the writes among ops that got a reply other than an
// error: what a client was told is stored. A MULTI counts once per key it
// writes, as the promotion check counts writes lost on failover.
func ackedWrites(ops []checker.Op) int {
	n := 0
	for i := range ops {
		op := &ops[i]
		if !op.Writes() || !op.Acked() || op.Kind == checker.OpEvict {
			continue // an eviction is no client's write
		}
		n++
		if op.Kind == checker.OpMulti && op.Key2 != op.Key {
			n++
		}
	}
	return n
}
