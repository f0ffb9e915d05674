package disksim

// Stats counts what happened to an FS: faults by kind and bytes moved.
type Stats struct {
	WriteErrors  int // KindWriteError
	FsyncErrors  int // KindFsyncError
	BitFlips     int // KindBitFlip
	OpenErrors   int // KindOpenError
	RenameErrors int // KindRenameError
	RemoveErrors int // KindRemoveError
	OtherErrors  int // KindOtherError

	SyncDrops    int   // failed Syncs that discarded unsynced data
	Crashes      int   // calls to Crash, any mode
	BytesWritten int64 // bytes accepted by Write (including partial writes)
	BytesSynced  int64 // bytes made durable by Sync
	BytesLost    int64 // unsynced bytes discarded by crashes and failed Syncs
}

// Fault returns the count for a fault kind (one of the Kind* constants),
// or 0 for an unknown kind.
func (s Stats) Fault(kind string) int {
	if p := s.slot(kind); p != nil {
		return *p
	}
	return 0
}

// Faults returns the total number of faults of every kind.
func (s Stats) Faults() int {
	return s.WriteErrors + s.FsyncErrors + s.BitFlips + s.OpenErrors + s.RenameErrors + s.RemoveErrors + s.OtherErrors
}

func (s *Stats) slot(kind string) *int {
	switch kind {
	case KindWriteError:
		return &s.WriteErrors
	case KindFsyncError:
		return &s.FsyncErrors
	case KindBitFlip:
		return &s.BitFlips
	case KindOpenError:
		return &s.OpenErrors
	case KindRenameError:
		return &s.RenameErrors
	case KindRemoveError:
		return &s.RemoveErrors
	case KindOtherError:
		return &s.OtherErrors
	}
	return nil
}

func (s *Stats) count(kind string) {
	if p := s.slot(kind); p != nil {
		*p++
	}
}

// Stats returns the counters so far.
func (fs *FS) Stats() Stats { return fs.stats }
