package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAOFWritesFaulted(t *testing.T) {
	short := LogLine{Node: "n1", At: 5, Format: logAOFShortWrite, Args: []string{"7", "40"},
		Msg: "Short write while writing to the AOF file: (nwritten=7, expected=40)"}
	failed := LogLine{Node: "n1", At: 5, Format: logAOFWriteError, Args: []string{"Input/output error"},
		Msg: "Error writing to the AOF file: Input/output error"}
	wrote := func(stored, size int64, errno string) DiskFault {
		return DiskFault{Node: "n1", At: 5, Op: "write", Path: "appendonlydir/appendonly.aof.1.incr.aof", Stored: stored, Size: size, Errno: errno}
	}

	assert.Empty(t, aofWritesFaulted([]LogLine{short}, []DiskFault{wrote(7, 40, "EIO")}), "the fault stored 7 of 40 bytes")
	assert.Empty(t, aofWritesFaulted([]LogLine{failed}, []DiskFault{wrote(0, 40, "EIO")}), "the fault stored nothing, EIO")

	v := aofWritesFaulted([]LogLine{short}, []DiskFault{wrote(6, 40, "EIO")})
	require.Len(t, v, 1, "another count")
	assert.Contains(t, v[0].Detail, "stored 6 of 40 bytes (EIO)")
	assert.Len(t, aofWritesFaulted([]LogLine{short}, nil), 1, "no fault")
	assert.Len(t, aofWritesFaulted([]LogLine{short}, []DiskFault{{Node: "n1", At: 5, Op: "sync", Stored: 7, Size: 40}}), 1, "a fault of another operation")

	zero := short
	zero.Args, zero.Msg = []string{"0", "40"}, "Short write while writing to the AOF file: (nwritten=0, expected=40)"
	assert.Len(t, aofWritesFaulted([]LogLine{zero}, []DiskFault{wrote(0, 40, "EIO")}), 1, "write(2) returns -1, not 0, when it stores nothing")
	assert.Len(t, aofWritesFaulted([]LogLine{failed}, []DiskFault{wrote(3, 40, "EIO")}), 1, "a write that stored bytes is a short write")
	assert.Len(t, aofWritesFaulted([]LogLine{failed}, []DiskFault{wrote(0, 40, "ENOSPC")}), 1, "another errno")
}

func TestAOFWriteErrorsRated(t *testing.T) {
	at := func(sec int64, proc int) LogLine {
		return LogLine{Node: "n1", Proc: proc, At: sec * 1e9, ClockMs: 1_700_000_000_000 + sec*1000 + 999, Format: logAOFWriteError,
			Args: []string{"Input/output error"}, Msg: "Error writing to the AOF file: Input/output error"}
	}
	assert.Empty(t, aofWriteErrorsRated([]LogLine{at(1, 0), at(32, 0)}), "31 s apart")
	v := aofWriteErrorsRated([]LogLine{at(1, 0), at(31, 0)})
	require.Len(t, v, 1, "30 s apart")
	assert.Contains(t, v[0].Detail, "30 s (by its clock) after")
	assert.Empty(t, aofWriteErrorsRated([]LogLine{at(1, 0), at(2, 1)}), "another process")
}
