package netsim

import (
	"fmt"

	"github.com/replsim/replsim/sim"
)

// Config sets the network's latency distribution, segmenting and timeouts.
// Start from DefaultConfig.
type Config struct {
	// MinLatency and MaxLatency bound the base one-way latency drawn
	// uniformly for each directed link.
	MinLatency, MaxLatency sim.Time
	// Jitter is the largest extra delay of one segment; each segment adds a
	// uniform draw from [0, Jitter].
	Jitter sim.Time
	// SlowLinkProb is the chance that a link is slow: its base latency is
	// multiplied by SlowFactor.
	SlowLinkProb float64
	// SlowFactor multiplies the base latency of slow links.
	SlowFactor int64
	// ChunkProb is the chance that one Send is split into several segments.
	ChunkProb float64
	// MaxChunks is the most segments one Send is split into (at least 2).
	MaxChunks int
	// ChunkGap is the largest delay between consecutive segments of a split
	// Send; each gap is uniform in [1ns, ChunkGap].
	ChunkGap sim.Time
	// Bandwidth is every link's initial limit in bytes per second; 0 means
	// unlimited.
	Bandwidth int64
	// DialTimeout is how long a dial whose SYN was lost waits before it
	// fails with ErrTimeout.
	DialTimeout sim.Time
	// GiveUp is how long a pipe may hold bytes behind a partition before
	// its connection is reset.
	GiveUp sim.Time
	// LocalDelay is the delay before an end learns of a local reset.
	LocalDelay sim.Time
}

// DefaultConfig returns a LAN-like network: 0.1–2 ms links with 0.2 ms
// jitter, 5% slow links (20x), a quarter of sends split, no bandwidth limit,
// 5 s dial timeout and 15 s give-up.
func DefaultConfig() Config {
	return Config{
		MinLatency:   100 * sim.Microsecond,
		MaxLatency:   2 * sim.Millisecond,
		Jitter:       200 * sim.Microsecond,
		SlowLinkProb: 0.05,
		SlowFactor:   20,
		ChunkProb:    0.25,
		MaxChunks:    4,
		ChunkGap:     50 * sim.Microsecond,
		DialTimeout:  5 * sim.Second,
		GiveUp:       15 * sim.Second,
		LocalDelay:   10 * sim.Microsecond,
	}
}

// Validate reports the first field that is out of range.
func (c Config) Validate() error {
	switch {
	case c.MinLatency < 0:
		return fmt.Errorf("netsim: config MinLatency %d is negative", c.MinLatency)
	case c.MaxLatency < c.MinLatency:
		return fmt.Errorf("netsim: config MaxLatency %d is below MinLatency %d", c.MaxLatency, c.MinLatency)
	case c.Jitter < 0:
		return fmt.Errorf("netsim: config Jitter %d is negative", c.Jitter)
	case c.SlowLinkProb < 0 || c.SlowLinkProb > 1:
		return fmt.Errorf("netsim: config SlowLinkProb %v is outside [0, 1]", c.SlowLinkProb)
	case c.SlowFactor < 1:
		return fmt.Errorf("netsim: config SlowFactor %d is below 1", c.SlowFactor)
	case c.ChunkProb < 0 || c.ChunkProb > 1:
		return fmt.Errorf("netsim: config ChunkProb %v is outside [0, 1]", c.ChunkProb)
	case c.MaxChunks < 2:
		return fmt.Errorf("netsim: config MaxChunks %d is below 2", c.MaxChunks)
	case c.ChunkGap < 1:
		return fmt.Errorf("netsim: config ChunkGap %d is below 1", c.ChunkGap)
	case c.Bandwidth < 0:
		return fmt.Errorf("netsim: config Bandwidth %d is negative", c.Bandwidth)
	case c.DialTimeout < 1:
		return fmt.Errorf("netsim: config DialTimeout %d is below 1", c.DialTimeout)
	case c.GiveUp < 1:
		return fmt.Errorf("netsim: config GiveUp %d is below 1", c.GiveUp)
	case c.LocalDelay < 0:
		return fmt.Errorf("netsim: config LocalDelay %d is negative", c.LocalDelay)
	}
	return nil
}

// clamped returns c with every out-of-range field moved to the nearest
// valid value.
func (c Config) clamped() Config {
	c.MinLatency = max(c.MinLatency, 0)
	c.MaxLatency = max(c.MaxLatency, c.MinLatency)
	c.Jitter = max(c.Jitter, 0)
	c.SlowLinkProb = min(max(c.SlowLinkProb, 0), 1)
	c.SlowFactor = max(c.SlowFactor, 1)
	c.ChunkProb = min(max(c.ChunkProb, 0), 1)
	c.MaxChunks = max(c.MaxChunks, 2)
	c.ChunkGap = max(c.ChunkGap, 1)
	c.Bandwidth = max(c.Bandwidth, 0)
	c.DialTimeout = max(c.DialTimeout, 1)
	c.GiveUp = max(c.GiveUp, 1)
	c.LocalDelay = max(c.LocalDelay, 0)
	return c
}
