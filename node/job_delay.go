package node

import (
	"sort"

	"github.com/replsim/replsim/vfs"
)

// rdb-key-save-delay makes Redis's saving child sleep that many
// microseconds per key (a negative -N: one microsecond with chance 1/N),
// so that a test can watch a save in progress. The node has no child to
// slow down: it takes its snapshot at once, as at fork time, and hands the
// job to the environment only when the save would have ended on the
// node's clock. Until then the save is in progress for everyone (INFO,
// BGSAVE, FLUSHALL, SHUTDOWN), and a kill means the job never runs.

// delayedJob is a background job waiting for its start time.
type delayedJob struct {
	due int64 // Unix ms
	id  uint64
	run func(fs vfs.FS) error
}

// saveDelayMs is how long a save of the current dataset takes under
// rdb-key-save-delay.
func (n *Node) saveDelayMs() int64 {
	d := n.cfg.RdbKeySaveDelay
	if d == 0 {
		return 0
	}
	keys := int64(0)
	for _, db := range n.dbs {
		keys += int64(db.len())
	}
	var us int64
	if d > 0 {
		us = keys * d
		if us/d != keys {
			us = maxBusyMs * 1000 // overflow: forever, in practice
		}
	} else {
		us = keys / -d
	}
	return (us + 999) / 1000
}

// startSaveJob is startJob for a job that writes the dataset: it starts
// after the rdb-key-save-delay time.
func (n *Node) startSaveJob(run func(fs vfs.FS) error, done func(err error)) {
	ms := n.saveDelayMs()
	if ms <= 0 {
		n.startJob(run, done)
		return
	}
	n.jobID++
	n.jobs[n.jobID] = done
	n.delayed = append(n.delayed, delayedJob{due: n.nowMs() + ms, id: n.jobID, run: run})
	sort.SliceStable(n.delayed, func(i, j int) bool { return n.delayed[i].due < n.delayed[j].due })
}

// startDueJobs hands the delayed jobs whose time has come to the
// environment (from Tick).
func (n *Node) startDueJobs() {
	now := n.nowMs()
	k := 0
	for k < len(n.delayed) && n.delayed[k].due <= now {
		k++
	}
	due := n.delayed[:k:k]
	n.delayed = n.delayed[k:]
	for _, j := range due {
		n.env.Background(j.id, j.run)
	}
}
