package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A flip past an RDB's AUX fields leaves them readable: their lines come
// before "Wrong RDB checksum" (mutants rdb_log.go:67:3, :69:40).
func TestChecksumFlipAux(t *testing.T) {
	wrong := line(3, logWrongChecksum+"1a) but got (2b). Aborting now.")
	loaded := []LogLine{line(3, logRDBVersion, "7.0.15"), line(3, logRDBAge, 0), wrong}
	inSum := []DiskFault{{At: 3e9, Node: "n1", Op: "bitflip", Path: "dump.rdb", FlipOffset: 295, FlipSize: 300, RDBAuxEnd: 180}}
	assert.Empty(t, checkChecksumFlipAux(loaded, inSum))
	v := checkChecksumFlipAux([]LogLine{wrong}, inSum)
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "the flipped bit of dump.rdb fell past its AUX fields (byte 295 of 300, AUX fields end at 180)")

	inData := []DiskFault{{At: 3e9, Node: "n1", Op: "bitflip", Path: "dump.rdb", FlipOffset: 20, FlipSize: 300, RDBAuxEnd: 180}}
	assert.Empty(t, checkChecksumFlipAux([]LogLine{wrong}, inData), "a flip in the AUX fields may change them")
	twice := append(append([]DiskFault{}, inSum...), inSum[0])
	assert.Empty(t, checkChecksumFlipAux([]LogLine{wrong}, twice), "two flips at once are not placed")
	earlier := line(2, logRDBVersion, "7.0.15")
	assert.Len(t, checkChecksumFlipAux([]LogLine{earlier, wrong}, inSum), 1, "another load's version line")
}

// RDBAuxEnd walks the AUX fields by the format's length and string
// encodings and stops at the first other opcode.
func TestRDBAuxEnd(t *testing.T) {
	rdb := []byte("REDIS0010")
	rdb = append(rdb, 0xFA, 9)
	rdb = append(rdb, "redis-ver"...)
	rdb = append(rdb, 6)
	rdb = append(rdb, "7.0.15"...)
	rdb = append(rdb, 0xFA, 10)
	rdb = append(rdb, "redis-bits"...)
	rdb = append(rdb, 0xC0, 64) // an int8
	rdb = append(rdb, 0xFA, 5)
	rdb = append(rdb, "ctime"...)
	rdb = append(rdb, 0xC2, 1, 2, 3, 4) // an int32
	rdb = append(rdb, 0xFA, 0x40, 3)    // a 14-bit length: 3
	rdb = append(rdb, "a-b"...)
	rdb = append(rdb, 0xC3, 3, 2, 0x01, 'x', 'y') // LZF: 3 bytes for 2
	end := len(rdb)
	rdb = append(rdb, 0xFE, 0, 0xFF, 1, 2, 3, 4, 5, 6, 7, 8)
	assert.Equal(t, int64(end), RDBAuxEnd(rdb))
	assert.Equal(t, int64(-1), RDBAuxEnd(rdb[:end-2]), "a truncated field")
	assert.Equal(t, int64(-1), RDBAuxEnd([]byte("*2\r\n$3\r\nSET\r\n")), "not an RDB")
	assert.Equal(t, int64(-1), RDBAuxEnd(rdb[:end]), "nothing after the fields")
}
