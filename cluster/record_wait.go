package cluster

import (
	"strings"

	"github.com/replsim/replsim/checker"
)

// WaitReturned implements tap.WaitTap: it records which replicas the
// master counted when a client's WAIT returned, by name.
func (s *simNode) WaitReturned(clientAddr string, offset int64, replicas []string) {
	h := s.h
	client := -1
	if c := h.clientByHost(hostOf(clientAddr)); c != nil {
		client = c.id
	}
	names := make([]string, len(replicas))
	for i, r := range replicas {
		names[i] = hostOf(r)
	}
	h.rec.waits = append(h.rec.waits, checker.WaitAck{Seq: h.rec.next(), At: h.w.Now(), Master: s.name,
		Client: client, Offset: offset, Replicas: names})
}

// hostOf is the host part of a "host:port" address.
func hostOf(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		return addr[:i]
	}
	return addr
}

// clientByHost finds the simulated client whose host is name.
func (h *Cluster) clientByHost(name string) *simClient {
	for _, c := range h.clients {
		if c.name == name {
			return c
		}
	}
	return nil
}
