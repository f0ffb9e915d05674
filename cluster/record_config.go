package cluster

import (
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/tap"
)

// settingsSeen is the last settings recorded for one node.
type settingsSeen struct {
	known bool
	gen   int
	up    bool
	st    tap.Settings
}

// observeSettings records s's settings (its replica link, replica-read-only,
// replica-serve-stale-data and persistence, node.Settings) when they
// changed since they were last recorded, or the node started or went down
// since. It runs after everything the node processes (checkExit) and after
// every operator action (observeRoles), so the record is exact: settings
// change only while the node processes something.
func (h *Cluster) observeSettings(s *simNode) {
	now := settingsSeen{known: true, gen: s.gen, up: s.up}
	before := s.offsetSeen
	if s.up && s.node != nil {
		now.st = s.node.Settings()
		s.offsetSeen = s.node.ReplOffset()
	}
	was := s.settings
	if was == now {
		return
	}
	s.settings = now
	h.rec.settings = append(h.rec.settings, checker.SettingsChange{At: int64(h.w.Now()), Node: s.name,
		Start: s.up && (!was.known || !was.up || was.gen != now.gen), Down: !s.up, Settings: now.st,
		OffsetBefore: before, OffsetAfter: s.offsetSeen})
}

// Settings is every node's settings over time, in time order.
func (h *Cluster) Settings() []checker.SettingsChange { return h.rec.settings }
