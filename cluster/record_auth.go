package cluster

import "github.com/replsim/replsim/checker"

// authSeen is the last auth settings recorded for one node.
type authSeen struct {
	gen                     int
	masterAuth, requirePass string
}

// observeAuth records every live node whose masterauth or requirepass
// changed since it was last looked at, or that started since (a new
// process). observeRoles calls it, after everything that can change them.
func (h *Cluster) observeAuth() {
	if h.rec.lastAuth == nil {
		h.rec.lastAuth = map[string]authSeen{}
	}
	for _, s := range h.nodes {
		if !s.up || s.node == nil {
			continue
		}
		cfg := s.node.Config()
		now := authSeen{gen: s.gen, masterAuth: cfg.MasterAuth, requirePass: cfg.RequirePass}
		was, ok := h.rec.lastAuth[s.name]
		if ok && was == now {
			continue
		}
		h.rec.lastAuth[s.name] = now
		h.rec.auth = append(h.rec.auth, checker.AuthState{At: int64(h.w.Now()), Node: s.name,
			MasterAuth: now.masterAuth, RequirePass: now.requirePass, Start: !ok || was.gen != now.gen})
	}
}
