package fault

import "github.com/replsim/replsim/sim"

// tailFlipBytes is how far from a file's end a tail flip lands: an RDB's
// CRC64 checksum is its last 8 bytes.
const tailFlipBytes = 8

const kindDiskTailFlipName = "disk_tail_flip"

var kindDiskTailFlip = register(&Kind{Name: kindDiskTailFlipName, Syntax: "NODE p=P for=D",
	Doc: "flip one bit in the last 8 bytes of the files NODE reads (an RDB's checksum, the end of an AOF or a manifest) " +
		"with probability P for D seconds",
	order: 31, swarm: 46, pos: []tokType{tNode}, keys: []keyArg{{key: "p", typ: vProb}, {key: "for", typ: vDur}},
	build: func(a args) Fault { return DiskTailFlip{Node: a.str(0), P: a.prob("p"), For: a.dur("for")} },
	// A uniform flip (disk_bitflip) almost never hits a checksum, so the
	// checksum's own error line (its two values) goes unjudged without
	// this. Its own stream.
	generate: func(g *model, t sim.Time) {
		r := g.own(kindDiskTailFlipName)
		n := g.nodes[r.IntN(len(g.nodes))]
		p := []float64{0.25, 0.5, 1}[r.IntN(3)]
		d := g.until(t, r.Between(200_000, 3_000_000)*sim.Microsecond)
		g.emit(t, DiskTailFlip{Node: n, P: p, For: d})
	}})

// DiskTailFlip flips one bit in the last 8 bytes of the files Node reads,
// with probability P per read that reaches them, for a while.
type DiskTailFlip struct {
	Node string
	P    float64
	For  sim.Time
}

// Kind implements Fault.
func (f DiskTailFlip) Kind() string { return kindDiskTailFlip.Name }

// Args implements Fault.
func (f DiskTailFlip) Args() []string { return []string{f.Node, keyProb("p", f.P), secs("for", f.For)} }

// Apply implements Fault.
func (f DiskTailFlip) Apply(x *Injector) error {
	return diskFault(x, f, f.Node, f.For, flipInjector(f.Kind(), f.P, tailFlipBytes))
}
