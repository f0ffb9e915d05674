package node

import (
	"fmt"
	"strings"
)

func init() {
	register(&command{name: "memory", arity: -2, flags: flagReadOnly, fn: dispatchSub, subs: []subcommand{
		{"usage", -3, memoryUsageCommand},
	}})
	infoSections = append(infoSections[:2], append([]infoSection{{"memory", true, infoMemory}}, infoSections[2:]...)...)
}

// memoryUsageCommand is MEMORY USAGE key [SAMPLES count]: what the key
// would take in Redis (memory.go), or nil.
func memoryUsageCommand(n *Node, c *client, args [][]byte) {
	samples := int64(memUsageSamples)
	if len(args) != 3 {
		if len(args) != 5 || !equalFold(args[3], "samples") {
			c.addError(errSyntax)
			return
		}
		v, ok := parseInt(args[4])
		if !ok {
			c.addError(errNotInteger)
			return
		}
		samples = v
	}
	e := n.lookup(c, args[2])
	if e == nil {
		c.addNull()
		return
	}
	c.addInt(keyUsage(e, samples))
}

// bytesToHuman formats like Redis's bytesToHuman.
func bytesToHuman(n int64) string {
	d := float64(n)
	switch {
	case n < 1024:
		return fmt.Sprintf("%dB", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.2fK", d/1024)
	case n < 1024*1024*1024:
		return fmt.Sprintf("%.2fM", d/(1024*1024))
	case n < 1024*1024*1024*1024:
		return fmt.Sprintf("%.2fG", d/(1024*1024*1024))
	}
	return fmt.Sprintf("%.2fT", d/(1024*1024*1024*1024))
}

func infoMemory(n *Node, b *strings.Builder) {
	m := n.memory()
	n.memPeak = max(n.memPeak, m.used)
	field(b, "used_memory", m.used)
	field(b, "used_memory_human", bytesToHuman(m.used))
	field(b, "used_memory_peak", n.memPeak)
	field(b, "used_memory_peak_human", bytesToHuman(n.memPeak))
	field(b, "used_memory_peak_perc", fmt.Sprintf("%.2f%%", float64(m.used)*100/float64(n.memPeak)))
	field(b, "used_memory_overhead", m.overhead)
	field(b, "used_memory_startup", int64(baseUsedMemory))
	field(b, "used_memory_dataset", m.dataset)
	field(b, "used_memory_dataset_perc", fmt.Sprintf("%.2f%%", float64(m.dataset)*100/float64(max(1, m.used-baseUsedMemory))))
	field(b, "maxmemory", n.cfg.MaxMemory)
	field(b, "maxmemory_human", bytesToHuman(n.cfg.MaxMemory))
	field(b, "maxmemory_policy", n.cfg.MaxMemoryPolicy)
	field(b, "mem_not_counted_for_evict", m.backlog+m.clientsReplicas+m.aofBuf)
	field(b, "mem_replication_backlog", m.backlog)
	field(b, "mem_total_replication_buffers", n.replBufferMem())
	field(b, "mem_clients_slaves", m.clientsReplicas)
	field(b, "mem_clients_normal", m.clientsNormal)
	field(b, "mem_aof_buffer", m.aofBuf)
	field(b, "mem_allocator", "replsim (Redis 7.0 jemalloc model)")
}
