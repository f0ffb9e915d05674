package node

import (
	"errors"
	"fmt"

	"github.com/replsim/replsim/vfs"
)

// An appendonly.aof left in the working directory by a Redis before 7.0
// (a single-file AOF) is moved into appenddirname and becomes the base of
// a multi-part AOF, as Redis's loadAppendOnlyFiles/aofUpgradePrepare do
// when the directory is missing, when it holds no manifest (or an empty
// one), or when the manifest lists only that file as its base and the file
// is not in the directory yet (an upgrade cut short before the rename).

// aofNeedsUpgrade reports whether the old single-file AOF is to be moved.
func (n *Node) aofNeedsUpgrade(m *aofManifest) bool {
	fs := n.env.FS()
	name := n.cfg.AppendFilename
	if _, err := fs.Stat(name); err != nil {
		return false
	}
	if _, err := fs.List(n.cfg.AppendDirname); err != nil {
		return true // no directory
	}
	if m.empty() {
		return true
	}
	if m.base != nil && len(m.incr) == 0 && m.base.name == name {
		_, err := fs.Stat(n.aofPath(name))
		return errors.Is(err, vfs.ErrNotExist)
	}
	return false
}

// aofUpgrade is aofUpgradePrepare: a manifest naming the old file as base
// 1, then the file moved into the directory.
func (n *Node) aofUpgrade(m *aofManifest) error {
	if err := n.aofMkdir(); err != nil {
		return err
	}
	name := n.cfg.AppendFilename
	// Every case of aofNeedsUpgrade has no incr file: only the base changes.
	m.base = &aofInfo{name: name, seq: 1, typ: aofTypeBase}
	m.baseSeq = 1
	if err := n.persistManifest(m); err != nil {
		return err
	}
	fs := n.env.FS()
	if n.bug(BugAofUpgradeNoMove) {
		return nil
	}
	// No fsync of the directory follows: aofUpgradePrepare has none (a
	// crash that loses the rename leaves the state it upgrades again).
	if err := fs.Rename(name, n.aofPath(name)); err != nil {
		return fmt.Errorf("Error trying to move the old AOF file %s into dir %s: %s", name, n.cfg.AppendDirname, strerror(err))
	}
	n.logNotice("Successfully migrated an old-style AOF file (%s) into the AOF directory (%s).", name, n.cfg.AppendDirname)
	return nil
}
