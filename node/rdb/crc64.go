package rdb

import "hash/crc64"

// jonesTable is the table for the Jones polynomial 0xad93d23594c935a9 in
// the reflected (LSB-first) form that hash/crc64 expects.
var jonesTable = crc64.MakeTable(0x95ac9329ac4bc9b5)

// CRC64 is Redis's CRC-64 (Jones, reflected, poly 0xad93d23594c935a9, no
// final xor): it extends crc with p. Start from 0;
// CRC64(0, []byte("123456789")) = 0xe9c6d914c4b8d9ca.
func CRC64(crc uint64, p []byte) uint64 {
	// hash/crc64 inverts before and after; Redis inverts neither.
	return ^crc64.Update(^crc, jonesTable, p)
}
