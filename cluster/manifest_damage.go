package cluster

import (
	"fmt"
	"path"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/fault"
	"github.com/replsim/replsim/vfs"
)

// manifestDamage is a node's AOF manifest the operator broke while the
// node was down (fault.DiskManifestDamage): the original, to put back
// after the node refuses the broken one, and the record its next start
// fills in.
type manifestDamage struct {
	original []byte
	rec      int // index in h.rec.manifestDamages
}

// DamageManifest breaks the AOF manifest of a node that is down as form
// says (fault.DamageManifest) and records the report Redis would log
// refusing it.
func (h *Cluster) DamageManifest(name, form string) error {
	s, err := h.stepNode(name)
	if err != nil {
		return err
	}
	if s.up {
		return fmt.Errorf("node %s is up", name)
	}
	if s.damage != nil {
		return fmt.Errorf("the manifest of %s is damaged already", name)
	}
	p := s.manifestPath()
	var original, damaged []byte
	var report []string
	s.fs.WithoutInjectors(func() {
		if original, err = s.fs.ReadFile(p); err != nil {
			return
		}
		if damaged, report, err = fault.DamageManifest(form, original); err != nil {
			return
		}
		err = writeSynced(s.fs, p, damaged)
	})
	if err != nil {
		return fmt.Errorf("damaging %s: %w", p, err)
	}
	s.damage = &manifestDamage{original: original, rec: len(h.rec.manifestDamages)}
	h.rec.manifestDamages = append(h.rec.manifestDamages, checker.ManifestDamage{
		Node: name, Form: form, At: int64(h.w.Now()), Report: report})
	return nil
}

// manifestPath is the AOF manifest a start of s reads.
func (s *simNode) manifestPath() string {
	return path.Join(s.cfg.AppendDirname, s.cfg.AppendFilename+".manifest")
}

// noteDamagedStart records what the first start of s after its manifest
// was damaged logged (the lines from index logsFrom on), whether it loaded
// and whether a bit flip or a failed open hit its read of the manifest (the disk faults
// from index faultsFrom on).
func (h *Cluster) noteDamagedStart(s *simNode, logsFrom, faultsFrom int, loaded bool) {
	d := &h.rec.manifestDamages[s.damage.rec]
	if d.Tried {
		return
	}
	d.Tried, d.Loaded = true, loaded
	for _, l := range h.rec.logs[logsFrom:] {
		if l.Node == s.name {
			d.Lines = append(d.Lines, l.Msg)
		}
	}
	for _, f := range h.rec.disk[faultsFrom:] {
		d.ReadFaulted = d.ReadFaulted || (f.Node == s.name && (f.Op == "bitflip" || f.Op == "open" || f.Op == "read") && f.Path == s.manifestPath())
	}
	if loaded {
		s.damage = nil // it runs on the broken manifest: nothing to put back
	}
}

// repairManifest puts back the manifest the operator broke, if any, and
// reports whether it did.
func (h *Cluster) repairManifest(s *simNode) bool {
	if s.damage == nil {
		return false
	}
	original := s.damage.original
	s.damage = nil
	var err error
	s.fs.WithoutInjectors(func() { err = writeSynced(s.fs, s.manifestPath(), original) })
	if err != nil {
		h.w.Log().S("fault ").S(s.name).S(" AOF manifest not put back: ").S(err.Error()).End()
		return false
	}
	h.NoteEnd(EventManifestRepaired, s.name, "")
	return true
}

// writeSynced replaces name's content with data, durably.
func writeSynced(fs vfs.FS, name string, data []byte) error {
	f, err := fs.Create(name)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	if cerr := f.Close(); werr == nil && serr == nil {
		serr = cerr
	}
	if werr != nil {
		return werr
	}
	if serr != nil {
		return serr
	}
	return fs.SyncDir(path.Dir(name))
}

// ManifestDamages are the manifests the run damaged and what the nodes
// did with them, for checker.CheckManifestDamages.
func (h *Cluster) ManifestDamages() []checker.ManifestDamage { return h.rec.manifestDamages }
