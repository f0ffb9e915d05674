package node

import (
	"strconv"
	"strings"
)

// INFO's cpu, commandstats, errorstats and latencystats sections, placed
// where Redis prints them: cpu after replication, then commandstats,
// errorstats and latencystats. commandstats and latencystats are not
// default sections (INFO all and INFO everything have them).
func init() {
	insertInfoSections("replication",
		infoSection{"cpu", true, infoCPU},
		infoSection{"commandstats", false, infoCommandStats},
		infoSection{"errorstats", true, infoErrorStats},
		infoSection{"latencystats", false, infoLatencyStats},
	)
}

// insertInfoSections inserts sections after the one named after (at the
// end when there is none).
func insertInfoSections(after string, sections ...infoSection) {
	at := len(infoSections)
	for i, s := range infoSections {
		if s.name == after {
			at = i + 1
		}
	}
	infoSections = append(infoSections[:at], append(sections, infoSections[at:]...)...)
}

// CPUTimes is the CPU time the process used, in microseconds, as INFO cpu
// reports it.
type CPUTimes struct {
	Sys, User                     int64
	SysChildren, UserChildren     int64
	SysMainThread, UserMainThread int64
}

// CPUReporter is an optional capability of an Env: the real driver reports
// the process's CPU times; a simulated node, which has none, reports 0.
type CPUReporter interface {
	CPUTimes() CPUTimes
}

func infoCPU(n *Node, b *strings.Builder) {
	var t CPUTimes
	if r, ok := n.env.(CPUReporter); ok {
		t = r.CPUTimes()
	}
	sec := func(us int64) string {
		return strconv.FormatInt(us/1e6, 10) + "." + padUsec(us%1e6)
	}
	field(b, "used_cpu_sys", sec(t.Sys))
	field(b, "used_cpu_user", sec(t.User))
	field(b, "used_cpu_sys_children", sec(t.SysChildren))
	field(b, "used_cpu_user_children", sec(t.UserChildren))
	field(b, "used_cpu_sys_main_thread", sec(t.SysMainThread))
	field(b, "used_cpu_user_main_thread", sec(t.UserMainThread))
}

// padUsec formats 0..999999 on six digits, as "%06ld".
func padUsec(us int64) string {
	s := strconv.FormatInt(us, 10)
	return strings.Repeat("0", 6-len(s)) + s
}
