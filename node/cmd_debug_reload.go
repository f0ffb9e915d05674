package node

import (
	"errors"

	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/vfs"
)

func init() {
	debugSubcommands["reload"] = debugReload
	debugSubcommands["loadaof"] = debugLoadAOF
}

// debugReload is DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save the RDB
// (unless NOSAVE), empty the dataset (unless NOFLUSH) and load the RDB
// back, as Redis does. Nothing is propagated.
func debugReload(n *Node, c *client, args [][]byte) {
	flush, save, merge := true, true, false
	for _, a := range args[2:] {
		switch {
		case equalFold(a, "merge"):
			merge = true
		case equalFold(a, "noflush"):
			flush = false
		case equalFold(a, "nosave"):
			save = false
		default:
			c.addError("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.")
			return
		}
	}
	if save {
		if err := n.rdbSave(); err != nil {
			c.addError("ERR")
			return
		}
	}
	if flush {
		n.emptyAll()
	}
	// rdbLoad fails when it cannot open the file, where a start goes on
	// with an empty dataset: a NOSAVE reload with no RDB on disk answers
	// the error, the dataset emptied unless NOFLUSH.
	data, err := n.env.FS().ReadFile(n.cfg.DBFilename)
	if errors.Is(err, vfs.ErrNotExist) {
		c.addError("ERR Error trying to load the RDB dump")
		return
	}
	if err == nil && !flush && !merge && n.reloadDuplicate(data) {
		return
	}
	if err := n.loadRDBFile(false); err != nil {
		c.addError("ERR Error trying to load the RDB dump")
		return
	}
	if n.bug(BugReloadDropsExpires) {
		for _, ks := range n.dbs {
			for i := range ks.entries {
				ks.setExpire(&ks.entries[i], 0)
			}
		}
	}
	n.logWarning("DB reloaded by DEBUG RELOAD")
	c.addOK()
}

// reloadDuplicate is rdbLoad's panic on a key of the file already in the
// dataset (NOFLUSH without MERGE): it logs and ends the process, and says
// so. A master skips the file's expired keys before it adds them, so
// those never collide. A file that does not parse is left to the load.
func (n *Node) reloadDuplicate(data []byte) bool {
	snap, err := rdb.Parse(data)
	if err != nil {
		return false
	}
	master := !n.repl.isReplica()
	now := n.nowMs()
	for _, db := range snap.DBs {
		if db.Index < 0 || db.Index >= len(n.dbs) {
			return false
		}
		for _, e := range db.Entries {
			if master && e.ExpireAtMs != 0 && e.ExpireAtMs < now {
				continue
			}
			if n.dbs[db.Index].lookup(e.Key) != nil {
				n.logWarning("RDB has duplicated key '%s' in DB %d", e.Key, db.Index)
				n.logWarning("Guru Meditation: Duplicated key found in RDB file #rdb.c:3175")
				n.exitNow(false)
				return true
			}
		}
	}
	return false
}

// debugLoadAOF is DEBUG LOADAOF: write and fsync the AOF buffer, empty the
// dataset, reload the manifest from disk, remove its history files and
// load the AOF files it lists. A failure to
// load (or no AOF at all) ends the process, as in Redis.
//
// Redis's loadaof branch does not look at argc: DEBUG LOADAOF x loads too.
func debugLoadAOF(n *Node, c *client, args [][]byte) {
	// flushAppendOnlyFile(1): the buffer is written, and fsynced only as
	// appendfsync says (none under "no").
	n.flushAOF()
	if n.down {
		return
	}
	n.emptyAll()
	// The load runs the AOF's commands inside this DEBUG call: what they
	// would propagate is dropped, as Redis propagates nothing while loading.
	p := &n.prop
	saved := *p
	nb, ns, nc := len(p.buf), len(p.segs), len(p.cmds)
	// As Redis: the manifest is read from disk again (it replaces the one
	// in memory), its history files are removed, and what it lists is
	// loaded.
	m, err := n.loadManifest()
	if err == nil {
		a := &n.persist().aof
		a.manifest = m
		n.aofDeleteHistory()
		m, err = n.loadAOFManifest(a.manifest.clone())
		if err == nil {
			a.manifest = m // an upgrade rewrote it
		}
	}
	p.count, p.wrap, p.split, p.local = saved.count, saved.wrap, saved.split, saved.local
	p.buf, p.segs, p.cmds = p.buf[:nb], p.segs[:ns], p.cmds[:nc]
	if err == nil && m.empty() {
		err = errors.New("no AOF to load")
	}
	if err != nil {
		if !Logged(err) {
			n.logWarning("%s", err.Error())
		}
		n.exitNow(false)
		return
	}
	n.aofLoaded()
	n.dirty = 0
	n.logWarning("Append Only File loaded by DEBUG LOADAOF")
	c.addOK()
}

// emptyAll empties every database (emptyData(-1)).
func (n *Node) emptyAll() {
	for _, db := range n.dbs {
		db.clear()
	}
	n.replExp.flush()
}
