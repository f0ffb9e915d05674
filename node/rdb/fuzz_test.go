package rdb

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzParse feeds arbitrary bytes to Parse: it must return a snapshot or an
// *Error, never panic, and whatever it accepts must survive a write and a
// second parse unchanged. Seeds live in testdata/fuzz/FuzzParse (written by
// Append and by a real Redis 7.0.15).
func FuzzParse(f *testing.F) {
	f.Add(Append(nil, sampleSnapshot(1_800_000_000_000, false), Options{Compress: true, Checksum: true}))
	f.Add(Append(nil, &Snapshot{}, Options{}))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data)
		if err != nil {
			var e *Error
			require.True(t, errors.As(err, &e), "error %v is not an *Error", err)
			require.Nil(t, s)
			require.GreaterOrEqual(t, e.Offset, int64(0))
			require.LessOrEqual(t, e.Offset, int64(len(data)))
			return
		}
		again, err := Parse(Append(nil, s, Options{Compress: true, Checksum: true}))
		require.NoError(t, err)
		require.Equal(t, s, again)
	})
}
