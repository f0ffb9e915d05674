package fault

import (
	"strconv"
	"strings"
	"testing"

	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// genSchedule draws a valid schedule in canonical form.
func genSchedule(t *rapid.T) Schedule {
	topo := Topology{
		Replicas: rapid.IntRange(1, MaxReplicas).Draw(t, "replicas"),
		Chained:  rapid.IntRange(0, MaxChained).Draw(t, "chained"),
		Clients:  rapid.IntRange(1, 6).Draw(t, "clients"),
	}
	s := Schedule{Seed: rapid.Uint64().Draw(t, "seed"), Topology: topo}
	s.Persistence.AppendFsync = rapid.SampledFrom(append([]string{""}, fsyncPolicies...)).Draw(t, "aof")
	if rapid.Bool().Draw(t, "save") {
		s.Persistence.SaveSeconds = rapid.Int64Range(1, 3600).Draw(t, "save seconds")
		s.Persistence.SaveChanges = rapid.Int64Range(0, 10000).Draw(t, "save changes")
	}
	for _, k := range SwarmKinds() {
		if rapid.Bool().Draw(t, "swarm "+k) {
			s.Swarm = append(s.Swarm, k)
		}
	}
	nodes := topo.Nodes()
	var added []string
	for i := rapid.IntRange(0, 2).Draw(t, "added"); i > 0; i-- {
		added = append(added, "n"+strconv.Itoa(len(nodes)+len(added)+1))
	}
	allNodes := append(append([]string{}, nodes...), added...)
	hosts := append(append([]string{}, allNodes...), topo.ClientNames()...)
	for _, n := range allNodes {
		if rapid.Bool().Draw(t, "clock "+n) {
			s.Clocks = append(s.Clocks, Clock{Node: n,
				Offset:   rapid.Int64Range(-5_000_000, 5_000_000).Draw(t, "offset") * sim.Microsecond,
				DriftPPM: rapid.Int64Range(-maxDriftPPM, maxDriftPPM).Draw(t, "drift")})
		}
	}
	node := func() string { return rapid.SampledFrom(allNodes).Draw(t, "node") }
	host := func() string { return rapid.SampledFrom(hosts).Draw(t, "host") }
	two := func(from []string) (string, string) {
		a := rapid.SampledFrom(from).Draw(t, "a")
		b := rapid.SampledFrom(from).Filter(func(x string) bool { return x != a }).Draw(t, "b")
		return a, b
	}
	dur := func(key string) string {
		return secs(key, rapid.Int64Range(0, 10_000_000).Draw(t, key)*sim.Microsecond)
	}
	prob := func() string {
		p := rapid.Float64Range(0, 1).Filter(func(p float64) bool { return p > 0 }).Draw(t, "p")
		return "p=" + strconv.FormatFloat(p, 'f', -1, 64)
	}
	groups := func() []string {
		perm := rapid.Permutation(hosts).Draw(t, "perm")
		cut := rapid.IntRange(1, len(perm)-1).Draw(t, "cut")
		end := rapid.IntRange(cut+1, len(perm)).Draw(t, "end")
		return groupArgs(perm[:cut], perm[cut:end])
	}
	type step struct {
		At   sim.Time
		Kind string
		Args []string
	}
	var raw []rawStep
	for _, name := range added {
		raw = append(raw, rawStep{at: 0, kind: "op_add_replica", args: []string{name}})
	}
	kinds := make([]string, len(Kinds()))
	for i, k := range Kinds() {
		kinds[i] = k.Name
	}
	for i := rapid.IntRange(0, 30).Draw(t, "steps"); i > 0; i-- {
		st := step{At: rapid.Int64Range(0, int64(Horizon/sim.Microsecond)).Draw(t, "at") * sim.Microsecond,
			Kind: rapid.SampledFrom(kinds).Draw(t, "kind")}
		switch st.Kind {
		case "net_reset":
			a, b := two(hosts)
			st.Args = []string{a, b, "bytes=" + strconv.Itoa(rapid.IntRange(0, 100000).Draw(t, "bytes"))}
		case "net_partition", "net_oneway":
			st.Args = groups()
		case "net_heal":
			if rapid.Bool().Draw(t, "all") {
				st.Args = groups()
			}
		case "net_blackhole":
			a, b := two(hosts)
			st.Args = []string{a, b, dur("for")}
		case "net_latency":
			a, b := two(hosts)
			st.Args = []string{a, b, dur("base"), dur("jitter"), dur("for")}
		case "net_dial_error":
			st.Args = []string{host(), "count=" + strconv.Itoa(rapid.IntRange(0, 9).Draw(t, "count")),
				"err=" + rapid.SampledFrom([]string{"refused", "timeout"}).Draw(t, "err")}
		case "disk_write_error", "disk_meta_error":
			st.Args = []string{node(), prob(), dur("for"), "err=" + rapid.SampledFrom([]string{"eio", "enospc"}).Draw(t, "err")}
		case "disk_aof_error":
			st.Args = []string{node(), "file=" + rapid.SampledFrom(aofFileNames).Draw(t, "file"), "op=" + rapid.SampledFrom(aofOpNames).Draw(t, "op"),
				dur("for"), "err=" + rapid.SampledFrom([]string{"eio", "enospc"}).Draw(t, "err")}
		case "disk_rdb_error":
			st.Args = []string{node(), "file=" + rapid.SampledFrom(rdbFileNames).Draw(t, "file"), "op=" + rapid.SampledFrom(rdbOpNames).Draw(t, "op"),
				dur("for"), "err=" + rapid.SampledFrom([]string{"eio", "enospc"}).Draw(t, "err")}
		case "disk_fsync_error", "disk_bitflip", "disk_tail_flip":
			st.Args = []string{node(), prob(), dur("for")}
		case "proc_crash":
			st.Args = []string{node(), rapid.SampledFrom(crashModes).Draw(t, "mode")}
		case "proc_restart", "op_promote", "op_bgsave", "op_save", "op_bgrewriteaof", "op_shutdown_abort", "op_bgsave_schedule":
			st.Args = []string{node()}
		case "op_shutdown":
			st.Args = []string{node(), rapid.SampledFrom(shutdownModes).Draw(t, "mode")}
		case "proc_signal":
			st.Args = []string{node(), rapid.SampledFrom(signalNames).Draw(t, "signal")}
		case "op_multi":
			st.Args = []string{node(), "cmd=" + rapid.SampledFrom(multiCmds).Draw(t, "cmd")}
		case "op_debug_reload":
			st.Args = []string{node(), "mode=" + rapid.SampledFrom(reloadModes).Draw(t, "mode")}
		case "disk_manifest_damage":
			st.Args = []string{node(), "form=" + rapid.SampledFrom(manifestForms).Draw(t, "form")}
		case "proc_pause", "auth_wrong_masterauth":
			st.Args = []string{node(), dur("for")}
		case "auth_requirepass_change":
			st.Args = []string{node(), "pass=" + rapid.StringMatching(`[A-Za-z0-9_-]{1,20}`).Draw(t, "pass"), dur("for")}
		case "clock_jump":
			st.Args = []string{node(), FormatSeconds(rapid.Int64Range(-300_000_000, 300_000_000).Draw(t, "jump") * sim.Microsecond)}
		case "op_repoint", "op_demote":
			a, b := two(allNodes)
			st.Args = []string{a, b}
		case "op_add_replica":
			continue // the added nodes have their steps
		case "op_config":
			p := rapid.SampledFrom(configParamList).Draw(t, "param")
			st.Args = []string{node(), p.name}
			switch {
			case p.enum != nil:
				st.Args = append(st.Args, rapid.SampledFrom(p.enum).Draw(t, "value"))
			case p.save && rapid.Bool().Draw(t, "save off"):
				st.Args = append(st.Args, "off")
			case p.save:
				st.Args = append(st.Args, strconv.Itoa(rapid.IntRange(1, 1<<20).Draw(t, "seconds")),
					strconv.Itoa(rapid.IntRange(0, 1<<20).Draw(t, "changes")))
			case p.obuf:
				st.Args = append(st.Args, rapid.SampledFrom([]string{"normal", "replica", "pubsub"}).Draw(t, "class"))
				for _, what := range []string{"hard", "soft", "seconds"} {
					st.Args = append(st.Args, strconv.Itoa(rapid.IntRange(0, 1<<30).Draw(t, what)))
				}
			default:
				st.Args = append(st.Args, strconv.Itoa(rapid.IntRange(int(p.min), 1<<30).Draw(t, "value")))
			}
		}
		raw = append(raw, rawStep{at: st.At, kind: st.Kind, args: st.Args})
	}
	at := func(i int) string { return "step " + strconv.Itoa(i) }
	if err := s.validate(raw, at, at); err != nil {
		t.Fatalf("generated an invalid schedule: %v", err)
	}
	return s
}

// TestScheduleRoundTrip: Format then ParseSchedule gives the schedule back,
// and formatting the parsed schedule gives the same text.
func TestScheduleRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genSchedule(t)
		text := s.Format()
		got, err := ParseSchedule(text)
		require.NoError(t, err, text)
		require.Equal(t, s, got, text)
		require.Equal(t, text, got.Format())
		c := s.Clone()
		require.NoError(t, c.Validate())
	})
}

// TestGeneratedSchedulesRoundTrip: what seeds generate parses back.
func TestGeneratedSchedulesRoundTrip(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		s := Generate(Params{Seed: seed, Ops: int(seed%7)*300 + 1, Replicas: 2, Clients: 4})
		text := s.Format()
		got, err := ParseSchedule(text)
		require.NoError(t, err, "seed %d:\n%s", seed, text)
		require.Equal(t, s, got, "seed %d", seed)
		require.Equal(t, seed, got.Seed)
		require.Equal(t, "heal", s.Steps[len(s.Steps)-1].Kind(), "seed %d ends with the heal", seed)
	}
	assert.Equal(t, Generate(Params{Seed: 9, Ops: 1000, Replicas: 2, Clients: 4}), Generate(Params{Seed: 9, Ops: 1000, Replicas: 2, Clients: 4}))
	assert.NotEqual(t, Generate(Params{Seed: 9, Ops: 1000, Replicas: 2, Clients: 4}).Format(), Generate(Params{Seed: 10, Ops: 1000, Replicas: 2, Clients: 4}).Format())
	calm := Generate(Params{Seed: 9, Ops: 1000, Replicas: 2, Clients: 4, NoFaults: true})
	assert.Empty(t, calm.Steps)
	assert.Empty(t, calm.Swarm)
	assert.Equal(t, Generate(Params{Seed: 9, Ops: 1000, Replicas: 2, Clients: 4}).Topology, calm.Topology)
}

func TestScheduleExample(t *testing.T) {
	text := `# a comment, and blank lines, are ignored

seed 42
topology replicas=2 chained=1 clients=4
persistence aof=everysec save=5:1
swarm net_partition,proc_crash
clock n2 offset=-0.25 drift=35
at 0.8 proc_crash n1 torn
at 1.1 proc_restart n1
at 1.25 net_partition n1 c1 | n2 n3
at 2 net_heal n1 c1 | n2 n3
at 3.000000 heal
`
	s, err := ParseSchedule(text)
	require.NoError(t, err)
	assert.Equal(t, uint64(42), s.Seed)
	assert.Equal(t, Topology{Replicas: 2, Chained: 1, Clients: 4}, s.Topology)
	assert.Equal(t, Persistence{AppendFsync: "everysec", SaveSeconds: 5, SaveChanges: 1}, s.Persistence)
	assert.Equal(t, []string{"n1", "n2", "n3", "n4"}, s.Topology.Nodes())
	assert.Equal(t, "n2", s.Topology.Upstream(3), "the chained replica replicates from n2")
	assert.Equal(t, []Clock{{Node: "n2", Offset: -250 * sim.Millisecond, DriftPPM: 35}}, s.Clocks)
	assert.Equal(t, Step{At: 1250 * sim.Millisecond, Fault: NetPartition{A: []string{"n1", "c1"}, B: []string{"n2", "n3"}}}, s.Steps[2], "steps are typed")
	assert.Equal(t, `# replsim fault schedule: edit and run with replsim run --faults FILE; times in virtual seconds
seed 42
topology replicas=2 chained=1 clients=4
persistence aof=everysec save=5:1
swarm net_partition,proc_crash
clock n2 offset=-0.250000 drift=35
at 0.800000 proc_crash n1 torn
at 1.100000 proc_restart n1
at 1.250000 net_partition n1 c1 | n2 n3
at 2.000000 net_heal n1 c1 | n2 n3
at 3.000000 heal
`, s.Format())
}

// TestScheduleParseErrors: every error names the line and the bad token.
func TestScheduleParseErrors(t *testing.T) {
	head := "seed 1\ntopology replicas=2 chained=0 clients=2\n"
	cases := []struct{ text, want string }{
		{"topology replicas=2 chained=0 clients=2\n", "schedule: no seed line"},
		{"seed 1\n", "schedule: no topology line"},
		{"seed x\n", `schedule line 1: bad seed "x"`},
		{"seed 1\nseed 2\n", "schedule line 2: second seed line (first on line 1)"},
		{"seed 1\ntopology replicas=0 chained=0 clients=2\n", "schedule line 2: topology: replicas=0: want 1 to 8"},
		{"seed 1\ntopology replicas=2 clients=2 chained=0\n", `schedule line 2: topology: want chained=N, got "clients=2"`},
		{"seed 1\ntopology replicas=2\n", "schedule line 2: want: topology replicas=N chained=N clients=N"},
		{head + "swarm net_reset,bogus\n", `schedule line 3: unknown fault kind "bogus" in swarm`},
		{head + "persistence aof=sometimes save=off\n", "schedule line 3: persistence: bad aof=sometimes: want off, always, everysec or no"},
		{head + "persistence aof=no save=5\n", `schedule line 3: persistence: bad "save=5": want save=off or save=SECONDS:CHANGES`},
		{head + "persistence save=off aof=no\n", `schedule line 3: persistence: want aof=..., got "save=off"`},
		{head + "persistence aof=no save=off\npersistence aof=no save=off\n", "schedule line 4: second persistence line (first on line 3)"},
		{head + "clock n9 offset=0 drift=0\n", `schedule line 3: clock: unknown node "n9"`},
		{head + "clock n1 offset=x drift=0\n", `schedule line 3: clock: bad seconds "x"`},
		{head + "clock n1 offset=0 drift=1e9\n", `schedule line 3: clock: bad "drift=1e9": want an integer`},
		{head + "clock n1 offset=0 drift=999999\n", `schedule line 3: clock n1: drift 999999 is outside`},
		{head + "clock n1 offset=0 drift=1\nclock n1 offset=0 drift=2\n", `schedule line 4: clock: node "n1" has a clock already (schedule line 3)`},
		{head + "frobnicate\n", `schedule line 3: unknown directive "frobnicate"`},
		{head + "\n\nat 1\n", "schedule line 5: want: at SECONDS KIND ARGS..."},
		{head + "at soon heal\n", `schedule line 3: bad seconds "soon"`},
		{head + "at 1.1234567 heal\n", `schedule line 3: bad seconds "1.1234567": more than six decimals`},
		{head + "at -1 heal\n", `schedule line 3: bad seconds "-1": must not be negative`},
		{head + "at 400 heal\n", "schedule line 3: heal: time 400.000000 is after the 300s budget"},
		{head + "at 1 explode n1\n", `schedule line 3: unknown step kind "explode"`},
		{head + "at 1 heal now\n", `schedule line 3: heal: unexpected argument "now" (heal takes no arguments)`},
		{head + "at 1 proc_crash n7 torn\n", `schedule line 3: proc_crash: unknown node "n7"`},
		{head + "at 1 proc_crash c1 torn\n", `schedule line 3: proc_crash: unknown node "c1"`},
		{head + "at 1 proc_crash n1 gently\n", `schedule line 3: proc_crash: bad crash mode "gently" (want keep_all, torn, lose_all)`},
		{head + "at 1 proc_crash n1\n", "schedule line 3: proc_crash: missing argument (usage: proc_crash NODE keep_all|torn|lose_all)"},
		{head + "at 1 net_partition n1 n2\n", "schedule line 3: net_partition: missing '|' between the two groups"},
		{head + "at 1 net_partition n1 | \n", "schedule line 3: net_partition: empty group"},
		{head + "at 1 net_partition n1 | n2 | n3\n", "schedule line 3: net_partition: more than one '|'"},
		{head + "at 1 net_partition n1 c1 | n2 c1\n", `schedule line 3: net_partition: host "c1" appears twice`},
		{head + "at 1 net_partition n1 | zz\n", `schedule line 3: net_partition: unknown host "zz"`},
		{head + "at 1 net_reset n1 n1 bytes=3\n", `schedule line 3: net_reset: "n1" twice: the two hosts must differ`},
		{head + "at 1 net_reset n1 n2 bites=3\n", `schedule line 3: net_reset: want bytes=..., got "bites=3"`},
		{head + "at 1 net_reset n1 n2 bytes=-3\n", `schedule line 3: net_reset: bad bytes=-3: want a non-negative integer`},
		{head + "at 1 net_reset n1 n2\n", "schedule line 3: net_reset: missing bytes= (usage: net_reset FROM TO bytes=N)"},
		{head + "at 1 disk_fsync_error n1 p=0 for=1\n", "schedule line 3: disk_fsync_error: bad p=0: want a probability in (0, 1]"},
		{head + "at 1 disk_write_error n1 p=1 for=1 err=eperm\n", "schedule line 3: disk_write_error: bad err=eperm: want one of eio, enospc"},
		{head + "at 1 proc_pause n1 for=-1\n", `schedule line 3: proc_pause: bad for=-1: bad seconds "-1": must not be negative`},
		{head + "at 1 auth_requirepass_change n1 pass=a:b for=1\n", "schedule line 3: auth_requirepass_change: bad pass=a:b: want letters, digits"},
		{head + "at 1 clock_jump n1 fast\n", `schedule line 3: clock_jump: bad seconds "fast"`},
		{head + "at 1 op_config n1 maxmemory 5\n", `schedule line 3: op_config: unsupported parameter "maxmemory"`},
		{head + "at 1 op_config n1 repl-timeout 0\n", `schedule line 3: op_config: bad value "0" for repl-timeout (want a positive integer)`},
		{head + "at 1 op_config n1 repl-timeout\n", `schedule line 3: op_config: missing value for repl-timeout (usage: op_config NODE PARAM VALUE)`},
		{head + "at 1 op_config n1 appendfsync sometimes\n", `schedule line 3: op_config: bad value "sometimes" for appendfsync (want always or everysec or no)`},
		{head + "at 1 op_config n1 appendonly yes no\n", `schedule line 3: op_config: unexpected argument "no"`},
		{head + "at 1 op_config n1 save 5\n", `schedule line 3: op_config: bad value "5" for save (want off, or SECONDS >= 1 and CHANGES >= 0)`},
		{head + "at 1 op_config n1 save 0 1\n", `schedule line 3: op_config: bad value "0 1" for save`},
		{head + "at 1 op_config n1 repl-diskless-sync-delay -1\n", `schedule line 3: op_config: bad value "-1" for repl-diskless-sync-delay (want a non-negative integer)`},
		{head + "at 1 op_shutdown n1\n", "schedule line 3: op_shutdown: missing argument (usage: op_shutdown NODE default|nosave|save|now|force|nosave-now|save-force|now-force|save-now-force)"},
		{head + "at 1 op_shutdown n1 gently\n", `schedule line 3: op_shutdown: bad shutdown mode "gently" (want default, nosave, save, now, force, nosave-now, save-force, now-force, save-now-force)`},
		{head + "at 1 proc_signal n1 sighup\n", `schedule line 3: proc_signal: bad signal "sighup" (want sigterm or sigint)`},
		{head + "at 1 op_bgsave n1 now\n", `schedule line 3: op_bgsave: unexpected argument "now" (usage: op_bgsave NODE)`},
		{head + "at 1 op_multi n1 cmd=save\n", `schedule line 3: op_multi: bad cmd=save`},
		{head + "at 1 op_add_replica n2\n", `schedule line 3: op_add_replica: node "n2" is already in the topology`},
		{head + "at 1 op_add_replica x5\n", `schedule line 3: op_add_replica: bad node name "x5"`},
		{head + "at 1 op_add_replica n5\nat 2 op_add_replica n5\n", `schedule line 4: op_add_replica: node "n5" is added twice (also by schedule line 3)`},
		{head + "at 1 op_repoint n2 n2\n", `schedule line 3: op_repoint: "n2" twice`},
	}
	for _, c := range cases {
		_, err := ParseSchedule(c.text)
		if assert.Error(t, err, c.text) {
			assert.Contains(t, err.Error(), c.want, c.text)
		}
	}
	// A node that a later step adds may be named anywhere.
	_, err := ParseSchedule(head + "clock n4 offset=0 drift=0\nat 1 proc_crash n4 torn\nat 2 op_add_replica n4\n")
	assert.NoError(t, err)
}

func TestScheduleValidateInCode(t *testing.T) {
	s := Schedule{Topology: Topology{Replicas: 1, Clients: 1}, Steps: []Step{{At: sim.Second, Fault: ProcPause{Node: "n2", For: 1500 * sim.Millisecond}}}}
	require.NoError(t, s.Validate())
	assert.Equal(t, []string{"n2", "for=1.500000"}, s.Steps[0].Fault.Args())
	s.Steps = append(s.Steps, Step{At: sim.Second, Fault: ProcPause{Node: "n3", For: sim.Second}})
	err := s.Validate()
	require.Error(t, err)
	assert.Equal(t, `schedule step 2 (proc_pause): proc_pause: unknown node "n3"`, err.Error())
	bad := Schedule{Topology: Topology{Replicas: 9, Clients: 1}}
	assert.EqualError(t, bad.Validate(), "schedule: replicas=9: want 1 to 8")
	assert.Len(t, Kinds(), 36)
	assert.Len(t, SwarmKinds(), 30)
	assert.Equal(t, []string{"op_bgsave", "op_save", "op_bgrewriteaof", "op_shutdown", "op_debug_reload", "disk_manifest_damage", "disk_meta_error", "disk_aof_error", "proc_signal", "disk_tail_flip", "disk_rdb_error"}, SwarmKinds()[19:], "new kinds come last in the swarm order")
	for _, k := range Kinds() {
		assert.NotEmpty(t, k.Doc, k.Name)
	}
}

func TestSecondsFormat(t *testing.T) {
	for _, c := range []struct {
		in   string
		want sim.Time
		out  string
	}{
		{"0", 0, "0.000000"}, {"1.5", 1500 * sim.Millisecond, "1.500000"}, {"-5", -5 * sim.Second, "-5.000000"},
		{"0.000001", sim.Microsecond, "0.000001"}, {"-0.25", -250 * sim.Millisecond, "-0.250000"},
	} {
		got, err := ParseSeconds(c.in, true)
		require.NoError(t, err, c.in)
		assert.Equal(t, c.want, got, c.in)
		assert.Equal(t, c.out, FormatSeconds(got))
	}
	for _, bad := range []string{"", ".5", "1.", "1e3", "+1", "1.2.3", "12345678", "--1"} {
		_, err := ParseSeconds(bad, true)
		assert.Error(t, err, bad)
	}
}

// FuzzParseSchedule: any text parses or fails with a located error, never a
// panic; what parses formats and parses back to the same schedule.
func FuzzParseSchedule(f *testing.F) {
	f.Add(Generate(Params{Seed: 1, Ops: 1000, Replicas: 2, Clients: 4}).Format())
	f.Add("seed 1\ntopology replicas=1 chained=0 clients=1\nat 1 net_partition n1 | n2 c1\n")
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseSchedule(text)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "schedule") {
				t.Fatalf("error without location: %v", err)
			}
			return
		}
		again, err := ParseSchedule(s.Format())
		if err != nil {
			t.Fatalf("formatted schedule does not parse: %v\n%s", err, s.Format())
		}
		if again.Format() != s.Format() {
			t.Fatalf("round trip changed the schedule:\n%s\n---\n%s", s.Format(), again.Format())
		}
	})
}

// TestOpConfigText: op_config's old parameters keep their text, and the
// new ones read and write theirs (save off, save with two numbers).
func TestOpConfigText(t *testing.T) {
	text := `seed 3
topology replicas=1 chained=0 clients=1
at 1.000000 op_config n1 repl-timeout 33
at 1.000000 op_config n2 repl-backlog-size 65536
at 1.000000 op_config n1 appendfsync always
at 1.000000 op_config n1 save 5 100
at 1.000000 op_config n1 save off
at 1.000000 op_config n2 replica-read-only no
at 1.000000 op_config n2 repl-diskless-sync-delay 0
at 1.000000 op_shutdown n1 nosave
at 1.000000 op_bgsave n2
at 1.000000 op_save n2
at 1.000000 op_bgrewriteaof n1
`
	s, err := ParseSchedule(text)
	require.NoError(t, err)
	assert.Equal(t, OpConfig{Node: "n1", Param: "repl-timeout", Value: "33"}, s.Steps[0].Fault)
	assert.Equal(t, OpConfig{Node: "n1", Param: "save", Value: "5 100"}, s.Steps[3].Fault)
	assert.Equal(t, OpConfig{Node: "n1", Param: "save", Value: "off"}, s.Steps[4].Fault)
	assert.Equal(t, OpShutdown{Node: "n1", Mode: "nosave"}, s.Steps[7].Fault)
	assert.Equal(t, OpBgrewriteaof{Node: "n1"}, s.Steps[10].Fault)
	lines := strings.Split(s.Format(), "\n")
	for i, st := range s.Steps {
		assert.Equal(t, strings.Split(text, "\n")[2+i], lines[5+i], st.Kind())
	}
}

// TestNewKindsGenerated: seeds generate every new kind and every op_config
// parameter.
func TestNewKindsGenerated(t *testing.T) {
	seen := map[string]int{}
	params := map[string]int{}
	for seed := uint64(1); seed <= 400; seed++ {
		for _, st := range Generate(Params{Seed: seed, Ops: 1000, Replicas: 2, Clients: 4}).Steps {
			seen[st.Kind()]++
			if c, ok := st.Fault.(OpConfig); ok {
				params[c.Param]++
			}
		}
	}
	for _, k := range []string{"op_bgsave", "op_save", "op_bgrewriteaof", "op_shutdown"} {
		assert.Positive(t, seen[k], k)
	}
	for _, p := range configParams {
		assert.Positive(t, params[p], p)
	}
	assert.Positive(t, seen["proc_restart"], "a shutdown is followed by a restart")
}
