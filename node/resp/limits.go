package resp

import (
	"math"
	"strings"
)

// Limits applied by the request parser. A field that is zero or negative
// means "use the value from DefaultLimits".
type Limits struct {
	// MaxBulkLen is proto-max-bulk-len: the largest accepted "$len".
	// Redis does not apply it to its master link; pass math.MaxInt64 there.
	MaxBulkLen int64
	// MaxInlineLen is PROTO_INLINE_MAX_SIZE: how many bytes may be buffered
	// without finding the end of an inline request or of a "*N"/"$len" line.
	MaxInlineLen int
	// MaxMultibulk is the largest accepted "*N" element count.
	MaxMultibulk int64
}

// DefaultLimits are the limits of a default-configured Redis 7.0.15.
//
// Redis 7.0.15 rejects a multibulk count only above INT_MAX
// (processMultibulkBuffer: "ll > INT_MAX"); the 1024*1024 limit belonged to
// older versions. Since the parser never allocates ahead of the bytes it
// has seen, the large limit costs nothing.
var DefaultLimits = Limits{
	MaxBulkLen:   512 * 1024 * 1024,
	MaxInlineLen: 64 * 1024,
	MaxMultibulk: math.MaxInt32,
}

// effective returns l with unset fields filled from DefaultLimits; a nil l
// means DefaultLimits.
func (l *Limits) effective() Limits {
	if l == nil {
		return DefaultLimits
	}
	e := *l
	if e.MaxBulkLen <= 0 {
		e.MaxBulkLen = DefaultLimits.MaxBulkLen
	}
	if e.MaxInlineLen <= 0 {
		e.MaxInlineLen = DefaultLimits.MaxInlineLen
	}
	if e.MaxMultibulk <= 0 {
		e.MaxMultibulk = DefaultLimits.MaxMultibulk
	}
	return e
}

// ProtocolError is malformed input. For requests, Error() returns exactly
// the text Redis puts after "-ERR ", e.g.
// "Protocol error: invalid multibulk length".
type ProtocolError struct{ Msg string }

// Error returns the message.
func (e *ProtocolError) Error() string { return e.Msg }

// Reason is what Redis 7.0.15 names the error in its log
// (networking.c setProtocolError's errstr), which is not the reply's text.
func (e *ProtocolError) Reason() string {
	if r, ok := logReasons[e.Msg]; ok {
		return r
	}
	if strings.HasPrefix(e.Msg, "Protocol error: expected '$'") {
		return "expected $ but got something else"
	}
	return strings.TrimPrefix(e.Msg, "Protocol error: ")
}

var logReasons = map[string]string{
	errInvalidMultibulkLen: "invalid mbulk count",
	errInvalidBulkLen:      "invalid bulk length",
	errBigMbulkCount:       "too big mbulk count string",
	errBigBulkCount:        "too big bulk count string",
	errBigInline:           "too big inline request",
	errUnbalancedQuotes:    "unbalanced quotes in inline request",
	errUnauthMultibulkLen:  "unauth mbulk count",
	errUnauthBulkLen:       "unauth bulk length",
}

// Request error texts, as sent by Redis 7.0.15.
const (
	errInvalidMultibulkLen = "Protocol error: invalid multibulk length"
	errInvalidBulkLen      = "Protocol error: invalid bulk length"
	errBigMbulkCount       = "Protocol error: too big mbulk count string"
	errBigBulkCount        = "Protocol error: too big bulk count string"
	errBigInline           = "Protocol error: too big inline request"
	errUnbalancedQuotes    = "Protocol error: unbalanced quotes in request"
)

func protoErr(msg string) error { return &ProtocolError{Msg: msg} }
