package harness

import (
	"slices"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node"
)

// bugCatchers names, for each planted node bug, the checker property that
// must catch it: the wiring between what the node can get wrong and what
// the checkers decide, kept here so neither knows the other.
var bugCatchers = map[string]string{
	node.BugReplicaAcceptsWrites:      checker.PropAccess,
	node.BugFullSyncNoFlush:           checker.PropPrefix,
	node.BugBacklogRangeBySize:        checker.PropConvergence,
	node.BugResyncAttached:            checker.PropReplClient,
	node.BugAckOnlyOnGetack:           checker.PropLiveness,
	node.BugPingPeriodOffByOne:        checker.PropKeepalive,
	node.BugCachesCorruptMaster:       checker.PropFakeMaster,
	node.BugOffsetInsideMulti:         checker.PropPrefix,
	node.BugNoSelectAfterFullSync:     checker.PropConvergence,
	node.BugNoReplidShift:             checker.PropPromotion,
	node.BugPromoteFlushes:            checker.PropPromotion,
	node.BugReplicaExpires:            checker.PropConvergence,
	node.BugIgnoreMasterAuth:          checker.PropConvergence,
	node.BugCRLFAfterRDB:              checker.PropConvergence,
	node.BugNoMultiWrap:               checker.PropPrefix,
	node.BugStaleRead:                 checker.PropLinearizability,
	node.BugWaitCountsLagging:         checker.PropWaitDurability,
	node.BugDropPropagation:           checker.PropConvergence,
	node.BugAlwaysAcksBeforeFsync:     checker.PropDurability,
	node.BugSlowDisklessHandoff:       checker.PropLiveness,
	node.BugServeStaleIgnored:         checker.PropAccess,
	node.BugReadOnlyOnRestart:         checker.PropAccess,
	node.BugFsyncSetIgnored:           checker.PropDurability,
	node.BugSpopVerbatim:              checker.PropPrefix,
	node.BugHincrbyfloatVerbatim:      checker.PropPrefix,
	node.BugSremLastNotPropagated:     checker.PropPrefix,
	node.BugStalePassAccepted:         checker.PropAccess,
	node.BugBlockingPopVerbatim:       checker.PropPrefix,
	node.BugListTrimWrongEnd:          checker.PropConvergence,
	node.BugLmpopCountDropped:         checker.PropConvergence,
	node.BugBzpopLaterBlocking:        checker.PropPrefix,
	node.BugZmpopMaxAsMin:             checker.PropConvergence,
	node.BugZincrAsZadd:               checker.PropConvergence,
	node.BugObufIgnoresBacklog:        checker.PropLiveness,
	node.BugEvictionNotPropagated:     checker.PropPrefix,
	node.BugVolatileEvictsPersistent:  checker.PropLinearizability,
	node.BugWatchMissesIncr:           checker.PropLinearizability,
	node.BugWatchDirtiesAll:           checker.PropLinearizability,
	node.BugReplicaEvicts:             checker.PropPrefix,
	node.BugBitopEmptyNotPropagated:   checker.PropConvergence,
	node.BugRestoreTTLRelative:        checker.PropPrefix,
	node.BugRestoreExpiredNoDel:       checker.PropPrefix,
	node.BugGetexPersistNotPropagated: checker.PropConvergence,
	node.BugHincrbyRefusesNegative:    checker.PropLinearizability,
	node.BugZaddRefusesNegative:       checker.PropLinearizability,
	node.BugZiplistZsetScoresSwapped:  checker.PropLinearizability,
	node.BugAofBaseOneSelect:          checker.PropDurability,
	node.BugAofUpgradeNoMove:          checker.PropDurability,
	node.BugReloadDropsExpires:        checker.PropDurability,
	node.BugClientReplySkipIgnored:    checker.PropAccess,
	node.BugMonitorSkipsMulti:         checker.PropAccess,
	node.BugShutdownSkipsReplicaWait:  checker.PropDurability,
	node.BugShutdownAbortKeepsWaiting: checker.PropDurability,
	node.BugConfigNoEffectDropped:     checker.PropLinearizability,
	node.BugBusyServesClients:         checker.PropLiveness,
	node.BugConfigSetPartial:          checker.PropLinearizability,
	node.BugProtocolErrorKeepsConn:    checker.PropLinearizability,
	node.BugUnblockReasonSwapped:      checker.PropLinearizability,
	node.BugManifestPathAccepted:      checker.PropDurability,
	node.BugManifestHandleLeak:        checker.PropOpenFiles,
	node.BugExpireConflictUnanswered:  checker.PropLiveness,
	node.BugForkPerReplica:            checker.PropChildJobs,
	node.BugAOFWriteErrorSticks:       checker.PropLiveness,
	node.BugEverysecIdleNoFsync:       checker.PropAOFFsync,
	node.BugWaitOnReplicaAnswersTwice: checker.PropExtraReply,
	node.BugBacklogTTLInMinutes:       checker.PropBacklogTTL,
	node.BugQuitClosesSilently:        checker.PropClosedUnanswered,
	node.BugLoadKeepsListpack:         checker.PropLoadEncoding,
	node.BugSaveIgnoresWriteError:     checker.PropSavesWhole,
}

// BugProperty returns the checker property that must catch the planted bug
// name ("" for an unknown bug).
func BugProperty(name string) string { return bugCatchers[name] }

// bugFocus is what a sweep for a planted bug forces into every seed: the
// command family whose commands the bug is in (Options.Families), the
// fault kinds that expose it (Options.Faults), so that catching it does
// not hang on how often the swarm draws them. The unfocused catch counts
// are in README.
var bugFocus = map[string]struct{ families, faults []string }{
	node.BugReadOnlyOnRestart:         {faults: []string{"op_config=replica-read-only"}},
	node.BugSpopVerbatim:              {families: []string{"set"}},
	node.BugHincrbyfloatVerbatim:      {families: []string{"hash"}},
	node.BugSremLastNotPropagated:     {families: []string{"set"}},
	node.BugBlockingPopVerbatim:       {families: []string{"list"}},
	node.BugListTrimWrongEnd:          {families: []string{"list"}},
	node.BugLmpopCountDropped:         {families: []string{"list"}},
	node.BugUnblockReasonSwapped:      {families: []string{"list"}},
	node.BugBzpopLaterBlocking:        {families: []string{"zset"}},
	node.BugZmpopMaxAsMin:             {families: []string{"zset"}},
	node.BugZincrAsZadd:               {families: []string{"zset"}},
	node.BugWatchMissesIncr:           {families: []string{"watch"}},
	node.BugWatchDirtiesAll:           {families: []string{"watch"}},
	node.BugBitopEmptyNotPropagated:   {families: []string{"bits"}},
	node.BugRestoreTTLRelative:        {families: []string{"keys"}},
	node.BugRestoreExpiredNoDel:       {families: []string{"keys"}},
	node.BugHincrbyRefusesNegative:    {families: []string{"hash"}},
	node.BugZaddRefusesNegative:       {families: []string{"zset"}},
	node.BugZiplistZsetScoresSwapped:  {families: []string{"keys"}},
	node.BugShutdownSkipsReplicaWait:  {faults: []string{"op_shutdown"}},
	node.BugGetexPersistNotPropagated: {families: []string{"strings"}},
	node.BugProtocolErrorKeepsConn:    {families: []string{"protocol"}},
}

// FocusOnBug returns o with the focus the planted bug needs added to its
// Families and Faults (none for most bugs).
func FocusOnBug(o Options, bug string) Options {
	f := bugFocus[bug]
	o.Families = append(slices.Clone(o.Families), f.families...)
	o.Faults = append(slices.Clone(o.Faults), f.faults...)
	return o
}
