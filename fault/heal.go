package fault

// The heal: the end of every fault, the cluster made whole.

var kindHeal = register(&Kind{Name: "heal", Syntax: "",
	Doc:   "end every fault: heal the network, restart crashed nodes, resume paused ones, fix passwords and the topology (clocks keep their offsets)",
	order: 30, keepsHealed: true,
	build: func(args) Fault { return Heal{} }})

// Heal ends every fault (Injector.HealAll).
type Heal struct{}

// Kind implements Fault.
func (Heal) Kind() string { return kindHeal.Name }

// Args implements Fault.
func (Heal) Args() []string { return nil }

// Apply implements Fault.
func (Heal) Apply(x *Injector) error { x.HealAll(); return nil }
