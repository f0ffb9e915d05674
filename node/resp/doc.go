// Package resp is a sans-IO RESP2 codec: bytes in, values out, and
// append-style encoders.
//
// ParseCommand mirrors the request parser of Redis 7.0.15
// (processMultibulkBuffer, processInlineBuffer and sdssplitargs in
// networking.c and sds.c) byte for byte, including its quirks, so that a
// simulated node accepts, rejects and splits exactly what a real server
// would. ParseValue parses replies strictly, for clients. Both parsers are
// stateless: they parse from the start of the buffer every time and report
// an incomplete input as n == 0 with a nil error.
package resp
