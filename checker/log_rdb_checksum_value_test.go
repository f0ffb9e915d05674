package checker

import (
	"fmt"
	"hash/crc64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// redisCRC64 is Redis's CRC-64 through hash/crc64 (which inverts before
// and after; Redis inverts neither), a reference apart from crcOfBit.
func redisCRC64(p []byte) uint64 {
	return ^crc64.Update(^uint64(0), crc64.MakeTable(jonesReflected), p)
}

// TestCRCOfBitIsLinear: flipping one bit changes Redis's CRC-64 by
// crcOfBit.
func TestCRCOfBitIsLinear(t *testing.T) {
	require.Equal(t, uint64(0xe9c6d914c4b8d9ca), redisCRC64([]byte("123456789")), "Redis's own test vector (crc64.c)")
	data := []byte("REDIS0010\xfa\x09redis-ver\x067.0.15 and then some keys")
	for _, off := range []int64{0, 5, int64(len(data)) - 1} {
		for b := 0; b < 8; b++ {
			flipped := append([]byte(nil), data...)
			flipped[off] ^= 1 << b
			assert.Equal(t, redisCRC64(data)^redisCRC64(flipped), crcOfBit(int64(len(data)), off, b), "byte %d bit %d", off, b)
		}
	}
}

func TestChecksumValuesFit(t *testing.T) {
	content := []byte("REDIS0010 some content of an RDB file")
	size := int64(len(content) + 8)
	crc := redisCRC64(content)
	line := func(expected, got uint64) LogLine {
		return LogLine{Node: "n1", At: 5, Msg: fmt.Sprintf("Wrong RDB checksum expected: (%x) but got (%x). Aborting now.", expected, got)}
	}
	flip := func(off int64) []DiskFault {
		return []DiskFault{{Node: "n1", At: 5, Op: "bitflip", Path: "dump.rdb", FlipOffset: off, FlipSize: size}}
	}
	flipped := append([]byte(nil), content...)
	flipped[7] ^= 0x10
	assert.True(t, flipFits(redisCRC64(flipped)^crc, 7, size), "a flip in the content")
	assert.False(t, flipFits(redisCRC64(flipped)^crc, 8, size), "another byte")
	assert.Empty(t, checksumValuesFit([]LogLine{line(crc, crc^1<<(8*3+2))}, flip(size-8+3)), "a flip in the stored checksum")
	assert.Empty(t, checksumValuesFit([]LogLine{line(redisCRC64(flipped), crc>>8)}, flip(7)),
		"a flip in the content is not judged: it may have made an early EOF opcode (seed 5928260)")

	v := checksumValuesFit([]LogLine{line(crc, (crc^1<<(8*3+2))>>8)}, flip(size-8+3))
	require.Len(t, v, 1, "the stored value misread (mutant rdb_log.go:61:19)")
	assert.Contains(t, v[0].Detail, "no bit of that byte")
	assert.Len(t, checksumValuesFit([]LogLine{line(crc, crc^1<<(8*3+2))}, flip(size-8+4)), 1, "another byte")
	assert.Empty(t, checksumValuesFit([]LogLine{line(1, 2)}, append(flip(7), flip(9)...)), "two flips: not judged")
}

// A load that read a flip in the stored checksum reports the mismatch; a
// flip in the content, a read by no load, or two flips are not judged.
func TestChecksumFlipsReported(t *testing.T) {
	version := LogLine{Node: "n1", At: 5, Format: logRDBVersion, Msg: "Loading RDB produced by version 7.0.15"}
	wrong := LogLine{Node: "n1", At: 5, Msg: "Wrong RDB checksum expected: (1) but got (2). Aborting now."}
	flip := func(off int64) DiskFault {
		return DiskFault{Node: "n1", At: 5, Op: "bitflip", Path: "dump.rdb", FlipOffset: off, FlipSize: 100}
	}
	assert.Empty(t, checksumFlipsReported([]LogLine{version, wrong}, []DiskFault{flip(95)}))
	v := checksumFlipsReported([]LogLine{version}, []DiskFault{flip(95)})
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "a bit flipped in its stored checksum (byte 95 of 100)")
	assert.Empty(t, checksumFlipsReported([]LogLine{version}, []DiskFault{flip(50)}), "a flip in the content")
	assert.Empty(t, checksumFlipsReported(nil, []DiskFault{flip(95)}), "no load read it")
	assert.Empty(t, checksumFlipsReported([]LogLine{version}, []DiskFault{flip(95), flip(96)}), "two flips")
}
