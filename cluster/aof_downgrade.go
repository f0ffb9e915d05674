package cluster

import (
	"path"
	"strings"

	"github.com/replsim/replsim/vfs"
)

// downgradeAOF sometimes (a quarter of the restarts of a node with
// appendonly yes) replaces s's multi-part AOF by the single appendonly.aof
// a Redis before 7.0 would have left with the same content: the base (RDB
// preamble or commands) and the incr files in manifest order, one after
// the other, and no appenddirname. The node then upgrades it on load
// (node/aof_upgrade.go) and must load what it would have loaded from its
// directory, so the durability and restart-load checks judge it as any
// restart. A manifest it cannot read, or a file it lists missing, leaves
// the directory as it is.
func (h *Cluster) downgradeAOF(s *simNode) {
	if !s.cfg.AppendOnly {
		return
	}
	r := h.w.Rand("restart/aof-downgrade")
	if !r.Chance(0.25) {
		h.plantStaleAOF(s)
		return
	}
	left := downgradeLeft(r.IntN(3))
	// The harness's file changes are not the node's: no disk fault hits
	// them.
	s.fs.WithoutInjectors(func() { h.replaceAOFDir(s, left) })
}

// downgradeLeft is what a downgrade leaves of appenddirname: the three
// states in which Redis 7.0.15 upgrades the old file (loadAppendOnlyFiles).
type downgradeLeft int

const (
	leftNoDir       downgradeLeft = iota // no directory: a Redis before 7.0
	leftEmptyDir                         // a directory without a manifest
	leftUpgradeHalf                      // the upgrade's manifest written, the file not moved yet (aofUpgradePrepare cut short)
)

func (h *Cluster) replaceAOFDir(s *simNode, left downgradeLeft) {
	dir, name := s.cfg.AppendDirname, s.cfg.AppendFilename
	files, ok := manifestFiles(s.fs, dir+"/"+name+".manifest")
	if !ok {
		return
	}
	var data []byte
	for _, f := range files {
		b, err := s.fs.ReadFile(dir + "/" + f)
		if err != nil {
			return
		}
		data = append(data, b...)
	}
	entries, err := s.fs.List(dir)
	if err != nil {
		return
	}
	f, err := s.fs.Create(name)
	if err != nil {
		return
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	if f.Close() != nil || werr != nil || serr != nil {
		_ = s.fs.Remove(name)
		return
	}
	for _, e := range entries {
		_ = s.fs.Remove(dir + "/" + e)
	}
	switch left {
	case leftNoDir:
		_ = s.fs.Remove(dir)
	case leftUpgradeHalf:
		if m, err := s.fs.Create(dir + "/" + name + ".manifest"); err == nil {
			_, _ = m.Write([]byte("file " + name + " seq 1 type b\n"))
			_ = m.Sync()
			_ = m.Close()
		}
	}
	_ = s.fs.SyncDir(dir)
	_ = s.fs.SyncDir(path.Dir(name))
	h.w.Log().S("fault ").S(s.name).S(" AOF replaced by a pre-7.0 single file ").S(name).S([]string{"", " beside an empty ", " beside a half-upgraded "}[left]).S([]string{"", dir, dir}[left]).End()
}

// manifestFiles lists the base and incr files of an AOF manifest, base
// first ("file NAME seq N type b|i" lines; history files left out).
func manifestFiles(fs vfs.FS, path string) ([]string, bool) {
	b, err := fs.ReadFile(path)
	if err != nil {
		return nil, false
	}
	var base string
	var incr []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Fields(line)
		if len(f) != 6 || f[0] != "file" || f[2] != "seq" || f[4] != "type" {
			return nil, false
		}
		switch f[5] {
		case "b":
			base = f[1]
		case "i":
			incr = append(incr, f[1])
		}
	}
	if base == "" {
		return nil, false
	}
	return append([]string{base}, incr...), true
}

// staleAOF is what plantStaleAOF leaves in the working directory: no AOF
// at all, so a node that took it for its data would refuse to start ("Bad
// file format reading the append only file").
const staleAOF = "stale appendonly.aof left by an old Redis: not to be loaded\n"

// plantStaleAOF sometimes (a fifth of the restarts of a node with
// appendonly yes that it does not downgrade) leaves a file called
// appendfilename in the working directory beside an AOF directory whose
// manifest lists incr files, as an operator's leftover from before 7.0
// would be. Redis 7.0.15 upgrades such a file only when the directory is
// missing, its manifest is empty, or it names that file alone as its base
// (loadAppendOnlyFiles); otherwise it loads the directory and never reads
// the file, so the node must start from its directory as usual. The file
// goes once the node has loaded (cleanStaleAOF), so no later restart
// finds it.
func (h *Cluster) plantStaleAOF(s *simNode) {
	if h.w.Rand("restart/aof-stale-file").Chance(0.2) {
		// The harness's reads and writes are not the node's: no disk
		// fault hits them or draws for them.
		s.fs.WithoutInjectors(func() { h.writeStaleAOF(s) })
	}
}

// writeStaleAOF leaves staleAOF as appendfilename if s's manifest lists
// incr files and no such file is there. Run it without s's injectors.
func (h *Cluster) writeStaleAOF(s *simNode) {
	dir, name := s.cfg.AppendDirname, s.cfg.AppendFilename
	files, ok := manifestFiles(s.fs, dir+"/"+name+".manifest")
	if !ok || len(files) < 2 {
		return
	}
	if _, err := s.fs.Stat(name); err == nil {
		return
	}
	f, err := s.fs.Create(name)
	if err != nil {
		return
	}
	_, werr := f.Write([]byte(staleAOF))
	if f.Close() != nil || werr != nil {
		_ = s.fs.Remove(name)
		return
	}
	s.staleAOF = true
	h.w.Log().S("fault ").S(s.name).S(" stale pre-7.0 ").S(name).S(" left beside ").S(dir).End()
}

// cleanStaleAOF removes the file plantStaleAOF left, after the load.
func (h *Cluster) cleanStaleAOF(s *simNode) {
	if !s.staleAOF {
		return
	}
	s.staleAOF = false
	s.fs.WithoutInjectors(func() { _ = s.fs.Remove(s.cfg.AppendFilename) })
}

// badAOFHeads are what plantBadAOF puts at the head of an incr file, each
// a command Redis 7.0.15 refuses as "Bad file format reading the append
// only file" (loadSingleAppendOnlyFile's fmterr) whatever follows it and
// whatever aof-load-truncated says: an argument count below 1 (0 is the
// boundary; a count line of only "\n" is atoi's 0), a command not
// starting with '*', an argument not starting with '$' (each with a
// well-formed count after its first byte; "+1" heads a command that is
// whole but for that byte).
var badAOFHeads = []string{"*-1\r\n", "*0\r\n", "*\n", "$4\r\nPING\r\n", "*1\r\n:4\r\nPING\r\n", "+1\r\n$4\r\nPING\r\n"}

// arityAOFHeads are well-formed commands of the wrong arity that
// plantBadAOF may put there too. Redis 7.0.15 runs an AOF's commands
// without checking their arity (loadSingleAppendOnlyFile calls cmd->proc)
// and crashes on these (redis-server, asked, printed its bug report); the
// node refuses the start with an error naming the file and offset.
var arityAOFHeads = []string{"*1\r\n$3\r\nGET\r\n", "*2\r\n$3\r\nSET\r\n$1\r\nk\r\n"}

// plantBadAOF sometimes (a tenth of the restarts of a node with
// appendonly yes whose manifest lists incr files) puts one of badAOFHeads
// or arityAOFHeads at the
// head of the last incr file, as a corruption no disk fault models would,
// and notes it (EventAOFBadFormat): the node must then refuse to start
// (checker.CheckRestartLoads), and is wiped as any node that refuses its
// files. Never the master's: a wiped master's restart says nothing of
// what it kept (the durability check judges masters' restarts; planted
// there, it hid appendfsync-set-ignored's only catching seed of 300).
func (h *Cluster) plantBadAOF(s *simNode) {
	r := h.w.Rand("restart/aof-bad-format")
	if !s.cfg.AppendOnly || !r.Chance(0.1) || s == h.master {
		return
	}
	heads := append(append([]string(nil), badAOFHeads...), arityAOFHeads...)
	head := heads[r.IntN(len(heads))]
	s.fs.WithoutInjectors(func() { h.writeBadAOF(s, head) })
}

// writeBadAOF puts head at the head of s's last incr file. Run it without
// s's injectors.
func (h *Cluster) writeBadAOF(s *simNode, head string) {
	last, name, ok := lastIncr(s)
	if !ok {
		return
	}
	data, err := s.fs.ReadFile(last)
	if err != nil || writeSynced(s.fs, last, append([]byte(head), data...)) != nil {
		return
	}
	h.Note(EventAOFBadFormat, s.name, name)
}
