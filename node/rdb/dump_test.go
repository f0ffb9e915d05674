package rdb

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzParseDump feeds arbitrary RESTORE payloads (with a correct footer
// added half the time, so the value decoder is reached): VerifyDump and
// ParseDump answer an error, never panic, and what ParseDump accepts
// encodes back to a payload that decodes to the same entry.
func FuzzParseDump(f *testing.F) {
	for _, e := range typedSample().DBs[0].Entries {
		f.Add(AppendDump(nil, &e, true), false)
		f.Add(AppendDump(nil, &e, false), false)
	}
	f.Add([]byte{0, 3, 'b', 'a', 'r'}, true)
	f.Add([]byte{byte(TypeHash), 0}, true)
	f.Fuzz(func(t *testing.T, data []byte, refoot bool) {
		if refoot {
			data = append(append([]byte(nil), data...), 10, 0)
			data = binary.LittleEndian.AppendUint64(data, CRC64(0, data))
		}
		if VerifyDump(data, false) != nil {
			return
		}
		e, err := ParseDump(data, "k")
		if err != nil {
			var re *Error
			require.True(t, errors.As(err, &re), "error %v is not an *Error", err)
			return
		}
		p := AppendDump(nil, &e, true)
		require.NoError(t, VerifyDump(p, false))
		again, err := ParseDump(p, "k")
		require.NoError(t, err)
		require.Equal(t, p, AppendDump(nil, &again, true))
	})
}

func TestDumpFooter(t *testing.T) {
	e := Entry{Type: TypeString, Value: []byte("bar")}
	p := AppendDump(nil, &e, false)
	require.Equal(t, []byte{0, 3, 'b', 'a', 'r', 10, 0}, p[:7])
	require.NoError(t, VerifyDump(p, false))
	got, err := ParseDump(p, "foo")
	require.NoError(t, err)
	assert.Equal(t, "foo", got.Key)
	assert.Equal(t, []byte("bar"), got.Value)

	bad := append([]byte(nil), p...)
	bad[len(bad)-1] ^= 1
	assert.ErrorIs(t, VerifyDump(bad, false), ErrDumpFooter)
	assert.NoError(t, VerifyDump(bad, true), "the checksum is skipped on demand")
	assert.ErrorIs(t, VerifyDump(p[:9], false), ErrDumpFooter)
	newer := append(append([]byte(nil), p[:len(p)-10]...), 11, 0)
	newer = binary.LittleEndian.AppendUint64(newer, CRC64(0, newer))
	assert.ErrorIs(t, VerifyDump(newer, false), ErrDumpFooter)
}

func TestParseDumpRefusesEmptyAndUnknown(t *testing.T) {
	for _, body := range [][]byte{{byte(TypeHash), 0}, {byte(TypeSet), 0}, {200, 0}, {byte(TypeString)}} {
		p := append(append([]byte(nil), body...), 10, 0)
		p = binary.LittleEndian.AppendUint64(p, CRC64(0, p))
		require.NoError(t, VerifyDump(p, false))
		_, err := ParseDump(p, "k")
		assert.Error(t, err, "%x", body)
	}
}
