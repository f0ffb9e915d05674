package rdb

import "fmt"

// Error is a corrupt or unsupported file, with the byte offset where it was found.
type Error struct {
	// Offset is the byte offset, from the start of the file, of the item
	// that could not be decoded.
	Offset int64
	// Msg says what is wrong, without the offset.
	Msg string
}

// Error formats the problem as "rdb: <msg> at offset <n>".
func (e *Error) Error() string {
	return fmt.Sprintf("rdb: %s at offset %d", e.Msg, e.Offset)
}

func errorf(off int, format string, args ...any) *Error {
	return &Error{Offset: int64(off), Msg: fmt.Sprintf(format, args...)}
}
