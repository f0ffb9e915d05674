package checker

import (
	"fmt"
	"math"
	"strings"
)

// ProbeKey is the key the probes write: outside every workload's key
// space. The WAIT probe sets it in the steady tail (cluster/probe_wait.go);
// the write probe then deletes it.
const ProbeKey = "__replsim_probe"

// probeMonitorTail is how a monitor shows the probe: from the harness's
// operator client, which has no address.
const probeMonitorTail = ` [0 ] "DEL" "` + ProbeKey + `"`

// WriteProbe is the harness's write to the master at the end of a
// converged run's steady tail (cluster/probe.go).
type WriteProbe struct {
	Node    string
	At      int64
	Reply   string
	Refused bool // the reply was an error
	// GoodReplicas is the master's INFO min_slaves_good_slaves and
	// MinReplicas its min-replicas-to-write when the probe was refused
	// with NOREPLICAS (-1: not read).
	GoodReplicas, MinReplicas int64
	// Lines are the node's log lines until then and DiskFaults the disk
	// faults the nodes hit (StuckAOFWriteError).
	Lines      []LogLine
	DiskFaults []DiskFault
}

// CheckWriteProbe: once the faults have healed and the replicas have
// converged, the master takes a write. Excused: NOREPLICAS, which
// min-replicas-to-write may rightly keep answering (a chained topology
// gives the master fewer replicas than the setting asks for) while the
// master counts fewer good replicas than it, and an AOF
// write error that nothing will clear (StuckAOFWriteError).
func CheckWriteProbe(p *WriteProbe) []Violation {
	if p == nil || !p.Refused {
		return nil
	}
	if strings.HasPrefix(p.Reply, "NOREPLICAS") {
		if p.MinReplicas > 0 && p.GoodReplicas >= p.MinReplicas {
			return []Violation{{Check: PropLiveness, At: p.At, Nodes: []string{p.Node}, Detail: fmt.Sprintf(
				"after the heal and convergence the master %s refused a write at %s: %s, while its INFO counted %d good replicas and min-replicas-to-write is %d: Redis refuses only with fewer (checkGoodReplicasStatus)",
				p.Node, seconds(p.At), p.Reply, p.GoodReplicas, p.MinReplicas)}}
		}
		return nil
	}
	if strings.HasPrefix(p.Reply, "MISCONF Errors writing to the AOF file") && StuckAOFWriteError(p.Lines, p.DiskFaults, p.Node, p.At) {
		return nil
	}
	return []Violation{{Check: PropLiveness, At: p.At, Nodes: []string{p.Node}, Detail: fmt.Sprintf(
		"after the heal and convergence the master %s refused a write at %s: %s (DEL of an unused key; nothing was failing any more)",
		p.Node, seconds(p.At), p.Reply)}}
}

// AOF write error lines: the first failure (flushAppendOnlyFile), its end
// by a later successful write, and startAppendOnly's reset.
const (
	logAOFWriteError  = "Error writing to the AOF file: %s"
	logAOFWriteSolved = "AOF write error looks solved, Redis can write again."
	logTempIncrGone   = "Removing the temp incr aof file %s in the background"
)

// StuckAOFWriteError says whether node's incarnation at at has an AOF
// write error that only a write could clear, with nothing left to write:
// a write to the temp incr file of an AOF waiting for its first rewrite
// failed (aof_last_write_status = C_ERR, the data kept in aof_buf), then
// that rewrite failed and its cleanup emptied aof_buf
// (backgroundRewriteDoneHandler). The cron's retry (flushAppendOnlyFile)
// then finds nothing to write, the next rewrite's success does not reset
// the status, and writes are refused with MISCONF until one gets into
// the AOF some other way (an expiry's DEL) or the AOF is switched off and
// on again (startAppendOnly's "AOF reopen, just ignore the last error.").
//
// The first write error of a process is always logged; one that starts
// within 30 s of the last logged may not be (AOF_WRITE_LOG_ERROR_RATE),
// so after a logged error a failed write on the node's incr AOF counts as
// one (faults).
func StuckAOFWriteError(lines []LogLine, faults []DiskFault, node string, at int64) bool {
	for _, sp := range stuckAOFWriteSpans(lines, faults, node) {
		if sp.from <= at && at < sp.to {
			return true
		}
	}
	return false
}

// timeSpan is [from, to) in virtual time; to is math.MaxInt64 for a span
// still open at the end of the run.
type timeSpan struct{ from, to int64 }

// stuckAOFWriteSpans are the spans in which node had a stuck AOF write
// error (StuckAOFWriteError): each from the cleanup that emptied aof_buf
// under a failed write to the line that cleared the status, or the
// node's next incarnation.
func stuckAOFWriteSpans(lines []LogLine, faults []DiskFault, node string) []timeSpan {
	var out []timeSpan
	gen, failed, logged, open := -1, false, false, false
	end := func(at int64) {
		if open {
			out[len(out)-1].to = at
			open = false
		}
	}
	fi := 0
	for _, l := range lines {
		if l.Node != node {
			continue
		}
		if l.Gen != gen {
			end(l.At)
			gen, failed, logged = l.Gen, false, false
		}
		for ; fi < len(faults) && faultBefore(faults[fi], l); fi++ {
			if f := faults[fi]; logged && f.Node == node && f.Op == "write" && IsIncrAOF(f.Path) {
				failed = true // an error the rate limit may have hidden
			}
		}
		switch l.Format {
		case logAOFWriteError, logAOFShortWrite:
			failed, logged = true, true
		case logAOFWriteSolved, logReopenWriteErr:
			end(l.At)
			failed = false
		case logTempIncrGone:
			if failed && !open {
				out = append(out, timeSpan{from: l.At, to: math.MaxInt64})
				open = true
			}
		}
	}
	return out
}

// faultBefore says whether f happened before l: at an earlier instant, or
// in the same one with a lower Seq (a paused node that resumes runs many
// writes, each failing or not, and logs in one instant). Without Seqs
// (zero), a fault in l's instant counts as before it.
func faultBefore(f DiskFault, l LogLine) bool {
	if f.At != l.At || f.Seq == 0 || l.Seq == 0 {
		return f.At <= l.At
	}
	return f.Seq < l.Seq
}
