package netsim

import "errors"

// Errors reported through Handler callbacks. Use errors.Is: a dial to a
// malformed address reports an error that wraps ErrRefused.
var (
	// ErrRefused: no listener at the address, or the handshake was reset.
	ErrRefused = errors.New("netsim: connection refused")
	// ErrReset: the connection was aborted.
	ErrReset = errors.New("netsim: connection reset")
	// ErrTimeout: the dial got no answer within Config.DialTimeout.
	ErrTimeout = errors.New("netsim: connection timed out")
	// ErrEOF: the peer closed the connection gracefully and every byte it
	// sent has been delivered.
	ErrEOF = errors.New("netsim: connection closed by peer")
)
