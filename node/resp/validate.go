package resp

import (
	"bytes"
	"errors"
	"fmt"
)

// Validate reports whether AppendValue can encode v faithfully: every kind
// known, Null only on BulkString and Array, no '\r' or '\n' in a simple
// string or error. The error names the path of the offending element.
func (v Value) Validate() error {
	if err := v.validateNode(); err != nil {
		return err
	}
	if v.Kind == SimpleString || v.Kind == Error {
		if bytes.ContainsAny(v.Str, "\r\n") {
			return errors.New("simple string or error contains CR or LF")
		}
	}
	for i, e := range v.Array {
		if err := e.Validate(); err != nil {
			return fmt.Errorf("array element %d: %w", i, err)
		}
	}
	return nil
}

// validateNode checks v itself, not its elements.
func (v Value) validateNode() error {
	switch v.Kind {
	case SimpleString, Error, Integer:
		if v.Null {
			return fmt.Errorf("Null set on kind %q", byte(v.Kind))
		}
		return nil
	case BulkString, Array:
		return nil
	}
	return fmt.Errorf("unknown kind 0x%02x", byte(v.Kind))
}
