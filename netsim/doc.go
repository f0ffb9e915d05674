// Package netsim simulates TCP between named hosts inside a sim.World.
//
// Every connection is a pair of ends, each with its own ConnID. Bytes sent
// from one end travel through a pipe to the other: they are delivered in
// order and exactly once while the connection lives, possibly split into
// several segments at random byte boundaries, each at a later virtual time
// than the one before. Delivery, handshakes and teardowns are events on the
// world's queue; a Handler per host receives them.
//
// Latency is per directed link (from host, to host): a base drawn from the
// link's own RNG stream (so links do not shift each other's numbers), plus a
// uniform jitter per segment, and occasionally a slow link. A bandwidth limit
// serialises the bytes of all connections on a link before the latency.
//
// Fault model:
//
//   - Partition and PartitionOneWay cut directed links. Nothing is delivered
//     across a cut: a segment whose delivery time falls inside a cut is held
//     (not lost) and delivered, in order, after the link heals. If a pipe stays
//     held for Config.GiveUp, the connection is reset (both ends get ErrReset),
//     as TCP gives up retransmitting. Idle connections survive partitions.
//     A dial whose SYN arrives while either direction is cut is lost: the
//     dialer gets ErrTimeout after Config.DialTimeout.
//   - Blackhole drops bytes silently. Once a blackhole has eaten bytes of a
//     pipe, that pipe stays stalled: later bytes (and a FIN) are dropped too,
//     so the receiver always sees a prefix of the stream, never a gap. The
//     connection stays up; only application timeouts notice. Dials across a
//     blackhole time out.
//   - Reset, ResetBetween, ResetAfter and give-up tear a connection down
//     abruptly: queued bytes in both directions are dropped and both live ends
//     get OnClosed(c, ErrReset) (a dialing end gets OnDialed(c, ErrRefused))
//     after Config.LocalDelay, partitions notwithstanding.
//   - ResetHost models a process crash: the host's ends end silently; each
//     peer learns through an RST that crosses the link like data (held by a
//     partition, dropped by a blackhole). Listeners are left alone: call
//     Unlisten or SetHandler(h, nil) for the downtime. A host with a nil
//     handler refuses connections.
//   - FailDials makes the next dials to a host fail with ErrRefused or
//     ErrTimeout.
//
// Close is graceful: the peer receives what was sent, then
// OnClosed(peer, ErrEOF). The closing end gets no further callbacks; bytes
// arriving for it are discarded, and the peer's later sends are dropped.
//
// Every fired event writes one trace line ("net data #7->#8 17B"); API calls
// that change state (dial, close, faults) write one line too.
package netsim
