package node

import (
	"path"
	"strconv"

	"github.com/replsim/replsim/vfs"
)

// syncFile is the replica's file for a transfer loaded from disk
// (readSyncBulkPayload without diskless load): Redis writes the master's
// RDB to temp-<unixtime>.<pid>.rdb as it arrives, then fsyncs it, renames
// it over dbfilename and fsyncs the directory before loading it (Redis
// does these three after flushing the old data; the node before, as it
// parses the payload before flushing). The replica's dump.rdb is from then on the master's
// snapshot: a restart loads that dataset and its replication history, not
// what the replica last saved itself.
type syncFile struct {
	tmp string
	f   vfs.File
}

// writeSyncFile writes the transferred payload to the temp file. A failure
// is Redis's write error during the transfer: the attempt is cancelled
// (cancelReplicationHandshake, which unlinks the temp file) before any
// data is flushed. It returns Redis's warning for a failure.
func (n *Node) writeSyncFile(payload []byte) (*syncFile, string) {
	fs := n.env.FS()
	base := 0
	if p, ok := n.env.(ProcessIDer); ok {
		base = p.ProcessID()
	}
	tmp := "temp-" + strconv.FormatInt(n.nowSec(), 10) + "." + strconv.Itoa(base) + ".rdb"
	f, err := fs.Create(tmp)
	if err != nil {
		return nil, "Opening the temp file needed for MASTER <-> REPLICA synchronization: " + err.Error()
	}
	if err := writeAll(f, payload); err != nil {
		_ = f.Close()
		_ = fs.Remove(tmp)
		return nil, "Write error or short write writing to the DB dump file needed for MASTER <-> REPLICA synchronization: " + err.Error()
	}
	return &syncFile{tmp: tmp, f: f}, ""
}

// installSyncFile fsyncs the temp file, renames it to dbfilename and
// fsyncs the directory, as readSyncBulkPayload does before rdbLoad. It
// returns Redis's warning when a step failed, "" otherwise.
func (n *Node) installSyncFile(sf *syncFile) string {
	fs := n.env.FS()
	name := n.cfg.DBFilename
	if err := sf.f.Sync(); err != nil {
		_ = sf.f.Close()
		_ = fs.Remove(sf.tmp)
		return "Failed trying to sync the temp DB to disk in MASTER <-> REPLICA synchronization: " + err.Error()
	}
	_ = sf.f.Close()
	if err := fs.Rename(sf.tmp, name); err != nil {
		_ = fs.Remove(sf.tmp)
		return "Failed trying to rename the temp DB into " + name + " in MASTER <-> REPLICA synchronization: " + err.Error()
	}
	if err := fs.SyncDir(path.Dir(name)); err != nil {
		return "Failed trying to sync DB directory " + name + " in MASTER <-> REPLICA synchronization: " + err.Error()
	}
	return ""
}
