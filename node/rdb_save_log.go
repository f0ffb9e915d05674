package node

import "errors"

// The lines rdbSave (rdb.c) logs when a save fails: which one depends on
// the step that failed. A BGSAVE's child logs them; SAVE and the final
// save of a shutdown log them in the server itself.

// Steps of writing a file through a temp file (writeFileAtomic).
const (
	stepCreate  = "create"
	stepWrite   = "write"
	stepFsync   = "fsync"
	stepClose   = "close"
	stepRename  = "rename"
	stepSyncDir = "syncdir"
)

// fileStepError is a failed step of writing a file through a temp file.
type fileStepError struct {
	step string
	what string // the step and its file(s), as the error reads
	err  error
}

func (e *fileStepError) Error() string { return e.what + ": " + e.err.Error() }
func (e *fileStepError) Unwrap() error { return e.err }

// stdioBuffer is the buffer glibc gives rdbSave's FILE (st_blksize): an
// RDB smaller than it reaches the disk only at fflush, so a failed write
// shows up there; a larger one fails inside rdbSaveRio's fwrite.
const stdioBuffer = 4096

// logRDBSaveFailure writes rdbSave's line for err, the failure of saving
// size bytes through tmp: from the child pid, or from the server itself
// when pid is 0.
func (n *Node) logRDBSaveFailure(pid int, tmp string, size int, err error) {
	log := func(format string, args ...any) {
		if pid > 0 {
			n.logChild(pid, LogWarning, format, args...)
		} else {
			n.logWarning(format, args...)
		}
	}
	dir := n.cfg.Dir
	if dir == "" {
		dir = "unknown" // getcwd failed: Redis's fallback
	}
	var se *fileStepError
	if !errors.As(err, &se) {
		log("Write error saving DB on disk(%s): %s", "rdbSaveRio", strerror(err))
		return
	}
	switch se.step {
	case stepCreate:
		log("Failed opening the temp RDB file %s (in server root dir %s) for saving: %s", tmp, dir, strerror(se.err))
	case stepRename:
		log("Error moving temp DB file %s on the final destination %s (in server root dir %s): %s", tmp, n.cfg.DBFilename, dir, strerror(se.err))
	default:
		op := map[string]string{stepFsync: "fsync", stepClose: "fclose", stepSyncDir: "fsyncFileDir"}[se.step]
		if se.step == stepWrite {
			op = "rdbSaveRio"
			if size < stdioBuffer {
				op = "fflush"
			}
		}
		log("Write error saving DB on disk(%s): %s", op, strerror(se.err))
	}
}
