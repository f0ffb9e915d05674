package cluster

import (
	"errors"

	"github.com/replsim/replsim/netsim"
)

// Errors as a node sees them: Redis prints strerror(errno) for a socket's
// error, so the network's errors reach the node as the C library words
// them.
var (
	errConnRefused = errors.New("Connection refused")
	errConnReset   = errors.New("Connection reset by peer")
	errConnTimeout = errors.New("Connection timed out")
)

// socketError is a network error as the node is told it: strerror's
// words for the network's errors, anything else (a malformed address)
// passed on as it is.
func socketError(err error) error {
	switch err {
	case netsim.ErrRefused:
		return errConnRefused
	case netsim.ErrReset:
		return errConnReset
	case netsim.ErrTimeout:
		return errConnTimeout
	}
	return err
}

// closeError is how a connection ended, as the node is told it: a
// graceful close is nil (the peer closed cleanly, errno 0, which Redis
// prints as "Success"), an abort socketError's words.
func closeError(err error) error {
	if err == netsim.ErrEOF {
		return nil
	}
	return socketError(err)
}
