package fault

import (
	"strings"
	"testing"

	"github.com/replsim/replsim/sim"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testManifest = "file appendonly.aof.2.base.rdb seq 2 type b\n" +
	"file appendonly.aof.1.incr.aof seq 1 type h\n" +
	"file appendonly.aof.3.incr.aof seq 3 type i\n"

// Each form breaks the manifest where its report says, and the report is
// Redis's: the fatal banner, the line when Redis had it, the reason.
func TestDamageManifest(t *testing.T) {
	at := func(num, line, msg string) []string {
		return []string{ManifestFatal, "Reading the manifest file, at line " + num + "\n", ">>> '" + line + "'\n", msg + "\n"}
	}
	const last = "file appendonly.aof.3.incr.aof seq 3 type i"
	const head = "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\n"
	for form, want := range map[string]struct {
		damaged string
		report  []string
	}{
		"empty":            {"", []string{ManifestFatal, "Found an empty AOF manifest\n"}},
		"truncated":        {strings.TrimSuffix(testManifest, "\n"), []string{ManifestFatal, "The AOF manifest file contains too long line\n"}},
		"nul":              {head + "file \x00appendonly.aof.3.incr.aof seq 3 type i\n", []string{ManifestFatal, "The AOF manifest file contains too long line\n"}},
		"nul_first":        {head + "\x00" + last + "\n", []string{ManifestFatal, "The AOF manifest file contains too long line\n"}},
		"long_comment":     {"#" + strings.Repeat("x", 1100) + "\n" + testManifest, at("2", strings.Repeat("x", 77), "Invalid AOF manifest file format")},
		"blank":            {"file appendonly.aof.2.base.rdb seq 2 type b\n\nfile appendonly.aof.1.incr.aof seq 1 type h\n" + last + "\n", at("2", "", "Invalid AOF manifest file format")},
		"path":             {head + "file ../appendonly.aof.3.incr.aof seq 3 type i\n", at("3", "file ../appendonly.aof.3.incr.aof seq 3 type i", "File can't be a path, just a filename")},
		"backslash":        {head + `file dir\appendonly.aof.3.incr.aof seq 3 type i` + "\n", at("3", `file dir\appendonly.aof.3.incr.aof seq 3 type i`, "File can't be a path, just a filename")},
		"dup_base":         {"file appendonly.aof.2.base.rdb seq 2 type b\n" + testManifest, at("2", "file appendonly.aof.2.base.rdb seq 2 type b", "Found duplicate base file information")},
		"non_monotonic":    {testManifest + last + "\n", at("4", last, "Found a non-monotonic sequence number")},
		"unknown_type":     {head + "file appendonly.aof.3.incr.aof seq 3 type z\n", at("3", "file appendonly.aof.3.incr.aof seq 3 type z", "Unknown AOF file type")},
		"empty_type":       {head + "file appendonly.aof.3.incr.aof seq 3 type \"\"\n", at("3", "file appendonly.aof.3.incr.aof seq 3 type \"\"", "Invalid AOF manifest file format")},
		"retyped":          {head + last + " type \"\"\n", at("3", last+" type \"\"", "Invalid AOF manifest file format")},
		"odd_fields":       {head + last + " extra\n", at("3", last+" extra", "Invalid AOF manifest file format")},
		"few_fields":       {head + "file appendonly.aof.3.incr.aof seq 3\n", at("3", "file appendonly.aof.3.incr.aof seq 3", "Invalid AOF manifest file format")},
		"zero_seq":         {head + "file appendonly.aof.3.incr.aof seq 0 type i\n", at("3", "file appendonly.aof.3.incr.aof seq 0 type i", "Invalid AOF manifest file format")},
		"unbalanced_quote": {head + `file "appendonly.aof.3.incr.aof seq 3 type i` + "\n", at("3", `file "appendonly.aof.3.incr.aof seq 3 type i`, "Invalid AOF manifest file format")},
		"huge_seq": {head + strings.Repeat("file appendonly.aof.3.incr.aof seq 99999999999999999999 type i\n", 2),
			at("4", "file appendonly.aof.3.incr.aof seq 99999999999999999999 type i", "Found a non-monotonic sequence number")},
	} {
		t.Run(form, func(t *testing.T) {
			damaged, report, err := DamageManifest(form, []byte(testManifest))
			require.NoError(t, err)
			assert.Equal(t, want.damaged, string(damaged))
			assert.Equal(t, want.report, report)
		})
	}
	assert.Len(t, ManifestForms(), 18, "every form has a case above")
}

// A name the manifest quotes is kept as written: the damage goes around
// the quotes.
func TestDamageManifestQuotedName(t *testing.T) {
	m := "file \"a b.aof.1.base.rdb\" seq 1 type b\nfile \"a b.aof.1.incr.aof\" seq 1 type i\n"
	damaged, report, err := DamageManifest("path", []byte(m))
	require.NoError(t, err)
	line := `file ../"a b.aof.1.incr.aof" seq 1 type i`
	assert.Equal(t, "file \"a b.aof.1.base.rdb\" seq 1 type b\n"+line+"\n", string(damaged))
	assert.Equal(t, []string{ManifestFatal, "Reading the manifest file, at line 2\n", ">>> '" + line + "'\n", "File can't be a path, just a filename\n"}, report)
}

// A form that needs a line the manifest lacks, a manifest not as Redis
// writes it and an unknown form are refused: the step is skipped.
func TestDamageManifestRefuses(t *testing.T) {
	noBase := "file appendonly.aof.1.incr.aof seq 1 type i\n"
	_, _, err := DamageManifest("dup_base", []byte(noBase))
	assert.EqualError(t, err, "the manifest has no base")
	_, _, err = DamageManifest("non_monotonic", []byte("file appendonly.aof.1.base.rdb seq 1 type b\n"))
	assert.EqualError(t, err, "the manifest has no incr file last")
	_, _, err = DamageManifest("path", []byte("file a b seq 1 type b\n"))
	assert.ErrorContains(t, err, "is not as Redis writes it")
	// Seed 6081006: an earlier nul damage a start read through a bit
	// flip was left on disk; Redis would refuse the NUL line first ("too
	// long line"), not the new damage's.
	_, _, err = DamageManifest("few_fields", []byte("file appendonly.aof.1.base.rdb seq 1 type b\nfile \x00appendonly.aof.1.incr.aof seq 1 type i\n"))
	assert.ErrorContains(t, err, "is not as Redis writes it")
	_, _, err = DamageManifest("path", []byte(strings.TrimSuffix(noBase, "\n")))
	assert.EqualError(t, err, "the manifest does not end in a newline")
	_, _, err = DamageManifest("melted", []byte(noBase))
	assert.EqualError(t, err, `unknown manifest damage "melted"`)
}

// The generator crashes a node with the AOF on, damages its manifest a
// millisecond later and restarts it before the heal.
func TestManifestDamageGenerated(t *testing.T) {
	found := 0
	for seed := uint64(1); seed <= 200 && found < 5; seed++ {
		s := Generate(Params{Seed: seed, Ops: 1000, Replicas: 2, Clients: 2})
		for i, st := range s.Steps {
			d, ok := st.Fault.(DiskManifestDamage)
			if !ok {
				continue
			}
			found++
			crashed := false
			for _, before := range s.Steps[:i] {
				crashed = crashed || (before.At == st.At-sim.Millisecond && before.Fault == ProcCrash{Node: d.Node, Mode: "keep_all"})
			}
			assert.True(t, crashed, "seed %d: %s killed a millisecond before its damage", seed, d.Node)
			assert.Contains(t, manifestForms, d.Form)
		}
	}
	assert.GreaterOrEqual(t, found, 5, "seeds 1-200 damage a manifest at least five times")
}

// Some damages hit a node whose AOF the operator turned off (CONFIG SET
// appendonly no leaves the manifest, which every start reads).
func TestManifestDamageAimsAtAOFOff(t *testing.T) {
	off := 0
	for seed := uint64(1); seed <= 100; seed++ {
		s := Generate(Params{Seed: seed, Ops: 1000, Replicas: 2, Clients: 2, Force: []string{"disk_manifest_damage"}})
		require.NoError(t, s.Validate())
		for i, st := range s.Steps {
			d, ok := st.Fault.(DiskManifestDamage)
			if !ok {
				continue
			}
			last := ""
			for _, before := range s.Steps[:i] {
				if c, ok := before.Fault.(OpConfig); ok && c.Node == d.Node && c.Param == "appendonly" {
					last = c.Value
				}
			}
			if last == "no" {
				off++
			}
		}
	}
	assert.GreaterOrEqual(t, off, 5, "seeds 1-100 damage the manifest of a node whose AOF is off at least five times")
}
