package fault

import (
	"errors"
	"strconv"
	"strings"

	"github.com/replsim/replsim/sim"
)

// The AOF manifest damage: a node is killed, its manifest is handed back
// broken in one of the ways Redis 7.0.15's aofLoadManifestFromFile
// refuses, and it is started again. It must refuse the file with Redis's
// report; the operator then puts the manifest back and starts it (the
// cluster does that, no data is lost).

// manifestForms are the damages as schedule tokens, each with the reason
// Redis gives.
var manifestForms = []string{"empty", "truncated", "nul", "long_comment", "blank", "path", "backslash",
	"dup_base", "non_monotonic", "unknown_type", "odd_fields", "few_fields", "zero_seq", "unbalanced_quote", "huge_seq", "empty_type", "retyped", "nul_first"}

var kindManifestDamage = register(&Kind{Name: "disk_manifest_damage",
	Syntax: "NODE form=" + strings.Join(manifestForms, "|"),
	Doc: "damage the AOF manifest of NODE, which is down: its next start must refuse it with Redis 7.0.15's report; " +
		"the operator then puts the manifest back and starts it again",
	order: 42, swarm: 42, pos: []tokType{tNode}, keys: []keyArg{{key: "form", typ: vEnum, enum: manifestForms}},
	build: func(a args) Fault { return DiskManifestDamage{Node: a.str(0), Form: a.val("form")} },
	generate: func(g *model, t sim.Time) {
		r := g.own("disk_manifest_damage")
		var aof, off []string
		for _, n := range g.upNodes() {
			if on, _ := g.aofOf(n); on {
				aof = append(aof, n)
			} else if g.hadAOF(n) {
				off = append(off, n)
			}
		}
		x := pickWith(r, aof)
		x = aimAtAOFOff(g, t, x, off)
		if x == "" {
			return
		}
		g.emit(t, ProcCrash{Node: x, Mode: "keep_all"})
		g.emit(t+sim.Millisecond, DiskManifestDamage{Node: x, Form: manifestForms[r.IntN(len(manifestForms))]})
		g.up[x] = false
		delete(g.pausedTill, x)
		down := 2*sim.Millisecond + sim.Time(r.Between(0, int64(sim.Second/sim.Microsecond)))*sim.Microsecond
		if t+down < g.healAt {
			g.emit(t+down, ProcRestart{Node: x})
			g.later(t+down, func() { g.up[x] = true })
		}
	}})

// DiskManifestDamage breaks the AOF manifest of Node (down) as Form says.
type DiskManifestDamage struct{ Node, Form string }

// Kind implements Fault.
func (f DiskManifestDamage) Kind() string { return kindManifestDamage.Name }

// Args implements Fault.
func (f DiskManifestDamage) Args() []string { return []string{f.Node, "form=" + f.Form} }

// Apply implements Fault.
func (f DiskManifestDamage) Apply(x *Injector) error {
	if err := x.t.DamageManifest(f.Node, f.Form); err != nil {
		return err
	}
	x.t.Note(f.Kind(), f.Node, f.Form)
	return nil
}

// ManifestFatal is the first line of Redis's report on a manifest it
// refuses (logged at warning level; each line of the report is one log
// message ending in a newline).
const ManifestFatal = "\n*** FATAL AOF MANIFEST FILE ERROR ***\n"

// manifestField is one line of a manifest as Redis writes it:
// "file NAME seq N type T".
type manifestField struct{ name, seq, typ string }

func (l manifestField) String() string { return "file " + l.name + " seq " + l.seq + " type " + l.typ }

// splitManifestLine reads a line as Redis writes it. The name is kept as
// written: bare, or in double quotes (sdscatrepr) when it holds a blank,
// a quote or a byte that is not printable ASCII.
func splitManifestLine(l string) (manifestField, bool) {
	i := strings.LastIndex(l, " seq ")
	if !strings.HasPrefix(l, "file ") || i < 5 {
		return manifestField{}, false
	}
	f := manifestField{name: l[5:i]}
	rest := strings.Fields(l[i+1:])
	if len(rest) != 4 || rest[0] != "seq" || rest[2] != "type" || l[i+1:] != strings.Join(rest, " ") {
		return manifestField{}, false
	}
	f.seq, f.typ = rest[1], rest[3]
	quoted := len(f.name) >= 2 && f.name[0] == '"' && f.name[len(f.name)-1] == '"'
	if f.name == "" || (!quoted && !bareName(f.name)) {
		return manifestField{}, false
	}
	return f, true
}

// bareName says whether Redis writes name unquoted: printable ASCII with
// no blank, quote or backslash (sdsneedsrepr). A name with another byte,
// such as the NUL of an earlier damage a start read through a bit flip,
// makes the manifest one Redis does not write.
func bareName(name string) bool {
	for i := 0; i < len(name); i++ {
		if c := name[i]; c <= ' ' || c > '~' || c == '"' || c == '\'' || c == '\\' {
			return false
		}
	}
	return true
}

// DamageManifest returns manifest broken as form says and the report
// Redis 7.0.15 logs when it refuses the result at startup: ManifestFatal,
// then, when Redis had the line in hand, "Reading the manifest file, at
// line N" and ">>> 'LINE'", then the reason. manifest must be as Redis
// writes it (a base line, then history and incr lines, no quoted names);
// forms that need a line it lacks (a base, an incr file) fail.
func DamageManifest(form string, manifest []byte) (damaged []byte, report []string, err error) {
	text := string(manifest)
	if !strings.HasSuffix(text, "\n") {
		return nil, nil, errors.New("the manifest does not end in a newline")
	}
	var lines []manifestField
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		f, ok := splitManifestLine(l)
		if !ok {
			return nil, nil, errors.New("manifest line " + strconv.Quote(l) + " is not as Redis writes it")
		}
		lines = append(lines, f)
	}
	render := func(ls []string) []byte { return []byte(strings.Join(ls, "\n") + "\n") }
	plain := make([]string, len(lines))
	for i, l := range lines {
		plain[i] = l.String()
	}
	reason := func(msg string) []string { return []string{ManifestFatal, msg + "\n"} }
	// atLine is the report for a refused line num (1-based) whose text,
	// trimmed, is line.
	atLine := func(num int, line, msg string) []string {
		return []string{ManifestFatal, "Reading the manifest file, at line " + strconv.Itoa(num) + "\n", ">>> '" + line + "'\n", msg + "\n"}
	}
	// changeLast rewrites the last line.
	changeLast := func(line, msg string) ([]byte, []string, error) {
		ls := append([]string(nil), plain...)
		ls[len(ls)-1] = line
		return render(ls), atLine(len(ls), line, msg), nil
	}
	last := lines[len(lines)-1]
	const invalid = "Invalid AOF manifest file format"
	switch form {
	case "empty":
		return nil, reason("Found an empty AOF manifest"), nil
	case "truncated":
		// The last line has no newline: fgets's buffer holds no '\n'.
		return manifest[:len(manifest)-1], reason("The AOF manifest file contains too long line"), nil
	case "nul":
		// strchr stops at the NUL, before the newline.
		l := "file " + "\x00" + last.name + " seq " + last.seq + " type " + last.typ
		ls := append([]string(nil), plain...)
		ls[len(ls)-1] = l
		return render(ls), reason("The AOF manifest file contains too long line"), nil
	case "nul_first":
		// A NUL as the line's first byte: not a comment, and strchr
		// finds no newline after it.
		ls := append([]string(nil), plain...)
		ls[len(ls)-1] = "\x00" + ls[len(ls)-1]
		return render(ls), reason("The AOF manifest file contains too long line"), nil
	case "long_comment":
		// fgets reads 1024 bytes of the comment (skipped: it starts with
		// '#'), then the rest of it as line 2.
		rest := strings.Repeat("x", 77)
		comment := "#" + strings.Repeat("x", 1023) + rest
		return render(append([]string{comment}, plain...)), atLine(2, rest, invalid), nil
	case "blank":
		ls := append([]string{plain[0], ""}, plain[1:]...)
		return render(ls), atLine(2, "", invalid), nil
	case "path":
		l := last
		l.name = "../" + l.name
		return changeLast(l.String(), "File can't be a path, just a filename")
	case "backslash":
		l := last
		l.name = `dir\` + l.name
		return changeLast(l.String(), "File can't be a path, just a filename")
	case "dup_base":
		for i, l := range lines {
			if l.typ == "b" {
				ls := append(append(append([]string(nil), plain[:i+1]...), plain[i]), plain[i+1:]...)
				return render(ls), atLine(i+2, plain[i], "Found duplicate base file information"), nil
			}
		}
		return nil, nil, errors.New("the manifest has no base")
	case "non_monotonic":
		if last.typ != "i" {
			return nil, nil, errors.New("the manifest has no incr file last")
		}
		return render(append(append([]string(nil), plain...), plain[len(plain)-1])),
			atLine(len(plain)+1, plain[len(plain)-1], "Found a non-monotonic sequence number"), nil
	case "unknown_type":
		l := last
		l.typ = "z"
		return changeLast(l.String(), "Unknown AOF file type")
	case "odd_fields":
		return changeLast(last.String()+" extra", invalid)
	case "few_fields":
		return changeLast("file "+last.name+" seq "+last.seq, invalid)
	case "zero_seq":
		l := last
		l.seq = "0"
		return changeLast(l.String(), invalid)
	case "huge_seq":
		// atoll saturates at LLONG_MAX: the first such line is the
		// highest seq yet, the same line again is not higher.
		if last.typ != "i" {
			return nil, nil, errors.New("the manifest has no incr file last")
		}
		l := last
		l.seq = "99999999999999999999"
		ls := append(append([]string(nil), plain[:len(plain)-1]...), l.String(), l.String())
		return render(ls), atLine(len(ls), l.String(), "Found a non-monotonic sequence number"), nil
	case "empty_type":
		// The type's first byte is the NUL that ends an empty string: no
		// type, as if the field were missing.
		l := last
		l.typ = `""`
		return changeLast(l.String(), invalid)
	case "retyped":
		// A key given twice: the last value holds, and an empty type is
		// no type.
		return changeLast(last.String()+` type ""`, invalid)
	case "unbalanced_quote":
		l := last
		l.name = `"` + l.name
		return changeLast(l.String(), invalid)
	}
	return nil, nil, errors.New("unknown manifest damage " + strconv.Quote(form))
}

// ManifestForms are the ways DiskManifestDamage breaks a manifest, as
// the schedule names them.
func ManifestForms() []string { return append([]string(nil), manifestForms...) }
