package cluster

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/netsim"
	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/sim"
	"github.com/replsim/replsim/vfs"
)

// The fake master is the counterpart of the replication client (p1,
// replclient.go): a host f1 that speaks the master's side of the
// replication protocol by hand to a node x1 started as its replica, and
// misbehaves as only a broken or hand-written master would. Each session
// (a connection x1 makes) serves a seeded selection of misbehaviours from
// what Redis's replica reads (src/replication.c syncWithMaster,
// slaveTryPartialResynchronization, readSyncBulkPayload, the cron's
// timeouts; src/networking.c for the stream): a blank line before +PONG
// or +FULLRESYNC, an error to REPLCONF listening-port and capa, a +FULLRESYNC without its offset, an error to PSYNC
// (SYNC follows), -NOMASTERLINK or -LOADING, a bad bulk length (and bytes
// after it, which such a transfer cannot read), an error
// in place of the bulk, an "$EOF:" payload, a repl-stream-db no db, a
// payload cut short then silence, blank lines, split commands, a SELECT
// of another db, inline text and expiries (at 0, past, far) on the stream,
// +CONTINUE with and without a new replication ID, and REPLCONF GETACK.
//
// x1 is outside the cluster's nodes: no fault, checker, convergence or
// heal sees it. The fake master's data is its own list of SETs (node/rdb
// only serialises it); checker/fake_master.go judges x1's replies, offset,
// data and log against it. It runs in a quarter of the seeds, on its own
// random stream, so the others keep their traces.
type fakeMaster struct {
	h    *Cluster
	r    *sim.Rand
	name string
	port int
	rep  *fakeReplica
	conn netsim.ConnID
	in   []byte
	// stage of the session: 1 PING, 2 REPLCONFs, 3 PSYNC, 4 SYNC,
	// 5 transferring, 6 streaming, 7 done (waiting to hang up).
	stage int
	sess  int // index in h.rec.fakeSessions, -1 none
	plan  [][]string
	cur   map[string]bool
	// The master's history: its replid, its offset (master_repl_offset)
	// and its data (db 0). valid says a replica may resume it.
	replid string
	offset int64
	data   map[string]string // "db:key" -> value
	// expires are the expiries (Unix ms) of keys in data. A key whose
	// expiry is past stays in data, hidden from reads, as a replica holds
	// it: a later expiry revives it (a master's command finds the key,
	// expireIfNeeded), a SET overwrites it.
	expires map[string]int64
	valid   bool
	// db is the db the stream has selected: where its SETs go, and where a
	// +CONTINUE goes on (the replica's cached master keeps it).
	db int
	// base is the session's offset base: what the replica thinks the
	// history's start is (-1 after SYNC or an unparsable +FULLRESYNC).
	base    int64
	keyN    int
	waiting *checker.FakeMasterCheck
}

// fakeMasterPort is where f1 listens.
const fakeMasterPort = 6390

// addFakeMaster adds, on a draw of its own stream, the fake master and its
// replica (a quarter of the seeds).
func (h *Cluster) addFakeMaster() {
	r := h.w.Rand("fakemaster")
	if !r.Chance(0.25) {
		return
	}
	f := &fakeMaster{h: h, r: r, name: "f1", port: fakeMasterPort, sess: -1, data: map[string]string{}, expires: map[string]int64{}}
	f.drawPlan()
	h.fakeMaster = f
	h.net.AddHost(f.name, f)
	if err := h.net.Listen(f.name, f.port); err != nil {
		panic(err) // our own host: a clash is a harness bug
	}
	cfg := node.DefaultConfig()
	cfg.Save = nil
	cfg.ReplicaOfHost, cfg.ReplicaOfPort = f.name, f.port
	cfg.ReplTimeoutSec = 2 + r.Int64N(3)
	cfg.Bugs = h.baseCfg.Bugs // planted bugs are the node's, x1's too
	f.rep = newFakeReplica(h, "x1", cfg)
}

// drawPlan draws the sessions' misbehaviours. The last session is served
// well, so the replica ends in sync.
func (f *fakeMaster) drawPlan() {
	n := 2 + f.r.IntN(5)
	for i := 0; i < n; i++ {
		var s []string
		if f.r.Chance(0.3) {
			s = append(s, checker.FMBlankPong)
		}
		last := i == n-1
		switch k := f.r.IntN(10); {
		case last || k < 3:
		case k == 3:
			s = append(s, checker.FMBadFullResync)
		case k == 4 || k == 5:
			s = append(s, checker.FMPsyncErr)
		case k == 6:
			s = append(s, checker.FMTryLater)
			if f.r.Chance(0.5) {
				s[len(s)-1] = checker.FMHangUpAtPsync
			}
		default:
			switch f.r.IntN(5) {
			case 0:
				s = append(s, checker.FMBadLen)
				if f.r.Chance(0.5) {
					s = append(s, checker.FMBytesAfterBadLen)
				}
			case 1:
				s = append(s, checker.FMAbortErr)
			case 2:
				s = append(s, checker.FMBadBulk)
			default:
				s = append(s, checker.FMCut)
			}
		}
		if f.r.Chance(0.4) {
			s = append(s, checker.FMBlankFull)
		}
		if f.r.Chance(0.4) {
			s = append(s, checker.FMEOF)
		}
		if f.r.Chance(0.5) {
			s = append(s, checker.FMBlankStream)
		}
		if f.r.Chance(0.3) {
			s = append(s, checker.FMRedis62)
		}
		if f.r.Chance(0.5) {
			s = append(s, checker.FMSplit)
		}
		if f.r.Chance(0.3) {
			s = append(s, checker.FMBadStreamDB)
		}
		if f.r.Chance(0.4) {
			s = append(s, checker.FMSelectDB)
		}
		if !last && f.r.Chance(0.2) {
			if f.r.Chance(0.5) {
				s = append(s, checker.FMInline)
			} else {
				s = append(s, checker.FMBadHeader)
			}
		}
		if f.r.Chance(0.4) {
			s = append(s, checker.FMBlankBulk)
		}
		if f.r.Chance(0.2) {
			s = append(s, checker.FMReplconfErr)
		}
		if f.r.Chance(0.4) {
			s = append(s, checker.FMExpire)
		}
		f.plan = append(f.plan, s)
	}
}

func (f *fakeMaster) session() *checker.FakeMasterSession {
	if f.sess < 0 {
		return nil
	}
	return &f.h.rec.fakeSessions[f.sess]
}

// served notes a misbehaviour as served.
func (f *fakeMaster) served(fault string) {
	s := f.session()
	s.Faults = append(s.Faults, fault)
}

// OnAccept implements netsim.Handler: a new session, with the next plan.
func (f *fakeMaster) OnAccept(_ int, c netsim.ConnID) {
	if f.conn != 0 {
		// The replica gave up the old link (its close is on the way).
		f.h.net.Close(f.conn)
		f.end("replica")
	}
	f.conn, f.in, f.stage, f.waiting = c, f.in[:0], 1, nil
	f.cur = map[string]bool{}
	if len(f.plan) > 0 {
		for _, x := range f.plan[0] {
			f.cur[x] = true
		}
		f.plan = f.plan[1:]
	}
	f.sess = len(f.h.rec.fakeSessions)
	f.h.rec.fakeSessions = append(f.h.rec.fakeSessions, checker.FakeMasterSession{Replica: f.rep.name,
		From: int64(f.h.w.Now()), InlineAt: -1, Start: -1})
}

// OnDialed implements netsim.Handler; the fake master does not dial.
func (f *fakeMaster) OnDialed(netsim.ConnID, error) {}

// OnClosed implements netsim.Handler: the replica hung up.
func (f *fakeMaster) OnClosed(c netsim.ConnID, _ error) {
	if c == f.conn {
		f.end("replica")
	}
}

// end closes the session's record.
func (f *fakeMaster) end(by string) {
	s := f.session()
	s.Until, s.ClosedBy = int64(f.h.w.Now()), by
	s.Waiting = f.waiting
	if s.InlineWant != nil {
		s.InlineGot = f.rep.data()
	}
	f.conn, f.sess, f.stage, f.waiting = 0, -1, 0, nil
}

// hangUp ends the session from the master's side.
func (f *fakeMaster) hangUp() {
	if f.conn == 0 {
		return
	}
	f.h.net.Close(f.conn)
	f.end("master")
}

// later runs fn in d if the session is still the same.
func (f *fakeMaster) later(d sim.Time, fn func()) {
	sess := f.sess
	f.h.w.After(d, sim.EventFunc(func(*sim.World) {
		if f.sess == sess && f.conn != 0 {
			fn()
		}
	}))
}

func (f *fakeMaster) send(p string) { f.h.net.Send(f.conn, []byte(p)) }

// OnData implements netsim.Handler: the replica's commands.
func (f *fakeMaster) OnData(c netsim.ConnID, p []byte) {
	if c != f.conn {
		return
	}
	f.in = append(f.in, p...)
	for f.conn == c {
		args, n := readCommand(f.in)
		if n == 0 {
			return
		}
		f.in = f.in[n:]
		f.command(args)
	}
}

// readCommand takes one command (multibulk or inline) off p.
func readCommand(p []byte) ([]string, int) {
	if len(p) == 0 {
		return nil, 0
	}
	if p[0] != '*' {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			return nil, 0
		}
		return strings.Fields(string(p[:i])), i + 1
	}
	v, n, err := resp.ParseValue(p)
	if err != nil || n == 0 {
		return nil, 0
	}
	var args []string
	for _, a := range v.Array {
		args = append(args, string(a.Str))
	}
	return args, n
}

func (f *fakeMaster) command(args []string) {
	if len(args) == 0 {
		return
	}
	s := f.session()
	switch strings.ToUpper(args[0]) {
	case "PING":
		if f.cur[checker.FMBlankPong] {
			f.served(checker.FMBlankPong)
			f.send("\n")
		}
		f.send("+PONG\r\n")
		f.stage = 2
	case "REPLCONF":
		if len(args) >= 3 && strings.EqualFold(args[1], "ACK") {
			f.ack(args[2])
			return
		}
		if opt := strings.ToLower(args[min(1, len(args)-1)]); f.cur[checker.FMReplconfErr] && (opt == "listening-port" || opt == "capa") {
			if opt == "capa" { // the second: both were answered so
				f.served(checker.FMReplconfErr)
			}
			f.send("-ERR Unrecognized REPLCONF option: " + opt + "\r\n")
			return
		}
		f.send("+OK\r\n")
	case "PSYNC":
		s.Request = strings.Join(args, " ")
		f.psync(args)
	case "SYNC":
		s.SyncSent = true
		if f.stage == 4 {
			f.base = -1
			f.newHistory()
			f.transfer()
		}
	default:
		f.send("-ERR unknown command\r\n")
	}
}

// newHistory starts a new history with a few more keys.
func (f *fakeMaster) newHistory() {
	id := make([]byte, 20)
	for i := range id {
		id[i] = byte(f.r.IntN(256))
	}
	f.replid = fmt.Sprintf("%x", id)
	f.offset = 1 + f.r.Int64N(100000)
	for i := f.r.IntN(4); i >= 0; i-- {
		f.set()
	}
	f.valid = true
}

// set draws one SET into the master's list and returns it as a command.
func (f *fakeMaster) set() string {
	f.keyN++
	k := "fm:" + strconv.Itoa(f.r.IntN(8))
	v := "v" + strconv.Itoa(f.keyN) + strings.Repeat("x", f.r.IntN(40))
	f.data[strconv.Itoa(f.db)+":"+k] = v
	delete(f.expires, strconv.Itoa(f.db)+":"+k) // SET drops a TTL
	return string(resp.AppendCommandStrings(nil, "SET", k, v))
}

// expire draws an absolute expiry of one of the master's keys and returns
// it as a command: at 0 (the epoch), at a past instant, or at a far one. A
// master sends a past one only by hand (Redis deletes such a key and
// propagates DEL), but its replica must take it as Redis does
// (expireGenericCommand: no deletion on a replica, setExpire, and a read
// hides the key once the time is before now, keyIsExpired): the key is
// gone for clients, though held. Negative instants are left out: Redis's
// replica keeps such a key visible for ever (keyIsExpired reads when < 0
// as "no expiry"), where the node hides it.
func (f *fakeMaster) expire() string {
	k := "fm:" + strconv.Itoa(f.r.IntN(8))
	dk := strconv.Itoa(f.db) + ":" + k
	now := (epochNs + int64(f.h.w.Now())) / 1e6
	var at int64
	switch f.r.IntN(4) {
	case 0:
		at = 0
	case 1:
		at = 1 + f.r.Int64N(now-1000) // at least a second ago
	default:
		at = farExpiries[f.r.IntN(len(farExpiries))]
	}
	name, arg := "PEXPIREAT", at
	if at%1000 == 0 && f.r.Chance(0.5) {
		name, arg = "EXPIREAT", at/1000
	}
	if _, ok := f.data[dk]; ok {
		f.expires[dk] = at
	}
	return string(resp.AppendCommandStrings(nil, name, k, strconv.FormatInt(arg, 10)))
}

// wantData is the master's data as its replica must show it to a client:
// each key's value, with its expiry after it (expiryNote), and no key
// whose expiry is past (every one drawn is a second or more before now).
func (f *fakeMaster) wantData() map[string]string {
	now := (epochNs + int64(f.h.w.Now())) / 1e6
	out := copyData(f.data)
	for k, at := range f.expires {
		if at < now {
			delete(out, k)
		} else {
			out[k] += expiryNote(at)
		}
	}
	return out
}

// expiryNote marks a value with its key's absolute expiry (Unix ms).
func expiryNote(at int64) string { return " (expires at " + strconv.FormatInt(at, 10) + ")" }

func (f *fakeMaster) psync(args []string) {
	s := f.session()
	f.stage = 3
	switch {
	case f.cur[checker.FMHangUpAtPsync]:
		f.served(checker.FMHangUpAtPsync)
		f.hangUp()
		return
	case f.cur[checker.FMPsyncErr]:
		f.served(checker.FMPsyncErr)
		s.Reply = "-ERR unknown command 'PSYNC', with args beginning with: '" + args[1] + "' '" + args[2] + "' "
		f.send(s.Reply + "\r\n")
		f.stage = 4
		return
	case f.cur[checker.FMTryLater]:
		f.served(checker.FMTryLater)
		s.Reply = "-NOMASTERLINK Can't SYNC while not connected with my master"
		if f.r.Chance(0.5) {
			s.Reply = "-LOADING Redis is loading the dataset in memory"
		}
		f.send(s.Reply + "\r\n")
		return
	}
	if f.cur[checker.FMBlankFull] {
		f.served(checker.FMBlankFull)
		f.send("\n")
		f.send("\n")
	}
	if len(args) == 3 && f.valid && args[1] == f.replid && args[2] == strconv.FormatInt(f.offset+1, 10) && f.r.Chance(0.8) {
		// +CONTINUE: the stream goes on from the replica's offset.
		s.ReplID, s.Start = f.replid, f.offset
		f.base = f.offset
		if f.r.Chance(0.3) {
			f.served(checker.FMContinueNewID)
			f.newHistoryID()
			s.ReplID = f.replid
			s.Reply = "+CONTINUE " + f.replid
		} else {
			f.served(checker.FMContinue)
			s.Reply = "+CONTINUE"
		}
		f.send(s.Reply + "\r\n")
		s.Streamed = true
		f.stage = 6
		f.later(sim.Second, f.ping)
		f.later(sim.Time(f.r.Between(int64(sim.Millisecond), int64(200*sim.Millisecond))), f.stream)
		return
	}
	f.newHistory()
	if f.cur[checker.FMBadFullResync] {
		f.served(checker.FMBadFullResync)
		s.Reply = "+FULLRESYNC " + f.replid
		f.base = -1
	} else {
		s.Reply = "+FULLRESYNC " + f.replid + " " + strconv.FormatInt(f.offset, 10)
		s.ReplID, s.Start = f.replid, f.offset
		f.base = f.offset
	}
	f.send(s.Reply + "\r\n")
	f.later(sim.Time(f.r.Between(int64(sim.Millisecond), int64(300*sim.Millisecond))), f.transfer)
}

// newHistoryID changes the replication ID, keeping the offset (a promoted
// master's +CONTINUE <new id>).
func (f *fakeMaster) newHistoryID() {
	id := make([]byte, 20)
	for i := range id {
		id[i] = byte(f.r.IntN(256))
	}
	f.replid = fmt.Sprintf("%x", id)
}

// snapshot serialises the master's data as an RDB, with the replication
// aux fields a Redis 7.0 master writes for a replica.
func (f *fakeMaster) snapshot() []byte {
	now := (epochNs + int64(f.h.w.Now())) / 1e6
	for k, at := range f.expires {
		if at < now {
			// Left out of the file (an expiry of 0 has no RDB form), and
			// so gone from the replica that loads it.
			delete(f.data, k)
			delete(f.expires, k)
		}
	}
	var dbs []rdb.DB
	for _, index := range []int{0, fakeMasterSelectDB} {
		db := rdb.DB{Index: index}
		for k := 0; k < 8; k++ {
			key := "fm:" + strconv.Itoa(k)
			if v, ok := f.data[strconv.Itoa(index)+":"+key]; ok {
				db.Entries = append(db.Entries, rdb.Entry{Key: key, Type: rdb.TypeString, Value: []byte(v),
					ExpireAtMs: f.expires[strconv.Itoa(index)+":"+key]})
			}
		}
		if len(db.Entries) > 0 {
			dbs = append(dbs, db)
		}
	}
	ver := "7.0.15"
	if f.cur[checker.FMRedis62] {
		ver = "6.2.14"
	}
	snap := &rdb.Snapshot{Aux: rdb.StandardReplAux(ver, (epochNs+int64(f.h.w.Now()))/1e9, 1<<20, 0, f.replid, f.offset)}
	if f.cur[checker.FMRedis62] {
		snap.Aux[len(snap.Aux)-1] = rdb.AuxField{Key: "aof-preamble", Value: "0"} // 6.2's field in 7.0's aof-base place
	}
	if f.cur[checker.FMBadStreamDB] {
		for i := range snap.Aux {
			if snap.Aux[i].Key == "repl-stream-db" {
				snap.Aux[i].Value = []string{"16", "-1", "x"}[f.r.IntN(3)]
			}
		}
	}
	snap.DBs = dbs
	out := rdb.Append(nil, snap, rdb.Options{Compress: true, Checksum: true})
	if f.cur[checker.FMRedis62] {
		// RDB version 9, and the checksum over the new header.
		copy(out, "REDIS0009")
		sum := rdb.CRC64(0, out[:len(out)-8])
		binary.LittleEndian.PutUint64(out[len(out)-8:], sum)
	}
	return out
}

// transfer sends the bulk (or misbehaves in its place).
func (f *fakeMaster) transfer() {
	s := f.session()
	f.stage = 5
	payload := f.snapshot()
	if f.cur[checker.FMRedis62] {
		f.served(checker.FMRedis62)
	}
	if f.cur[checker.FMBadStreamDB] {
		f.served(checker.FMBadStreamDB)
	}
	switch {
	case f.cur[checker.FMBadLen]:
		f.served(checker.FMBadLen)
		// Lengths Redis's strtol reads as 0 or less, and an EOF mark
		// shorter than 40 bytes, which makes the header a length too.
		s.BulkHeader = []string{"$abc", "$-5", "$0", "$EOF:0123456789abcdef", "$-1"}[f.r.IntN(5)]
		f.send(s.BulkHeader + "\r\n")
		f.valid = false
		if f.cur[checker.FMBytesAfterBadLen] {
			// The payload anyway, soon after (before repl-timeout), or a
			// PING as a master's keepalive. After "$-1" Redis reads a
			// header line again: a PING, whose first line is known.
			more := string(payload)
			if f.r.Chance(0.5) || s.BulkHeader == "$-1" {
				more = string(resp.AppendCommandStrings(nil, "PING"))
			}
			f.later(sim.Time(f.r.Between(0, int64(500*sim.Millisecond))), func() {
				f.served(checker.FMBytesAfterBadLen)
				f.send(more)
			})
		}
		return
	case f.cur[checker.FMBadBulk]:
		f.served(checker.FMBadBulk)
		s.BulkHeader = []string{"+OK", "hello", "*1"}[f.r.IntN(3)]
		f.send(s.BulkHeader + "\r\n")
		f.valid = false
		return
	case f.cur[checker.FMAbortErr]:
		f.served(checker.FMAbortErr)
		s.BulkHeader = "-ERR Background RDB saving failed"
		f.send(s.BulkHeader + "\r\n")
		f.valid = false
		return
	}
	var head, tail string
	if f.cur[checker.FMEOF] {
		f.served(checker.FMEOF)
		mark := make([]byte, 20)
		for i := range mark {
			mark[i] = byte(f.r.IntN(256))
		}
		m := fmt.Sprintf("%x", mark)
		head, tail = "$EOF:"+m, m
		if f.r.Chance(0.3) {
			head += "0123" // Redis takes a longer mark's first 40 bytes
		}
	} else {
		head = "$" + strconv.Itoa(len(payload))
	}
	s.BulkHeader = head
	if f.cur[checker.FMBlankBulk] {
		// A master's keepalives while the replica waits for the
		// transfer; "\r\n" reads as the same empty line, and so does a
		// line whose first byte is NUL (readSyncBulkPayload tests
		// buf[0] == '\0').
		f.served(checker.FMBlankBulk)
		for i := 1 + f.r.IntN(2); i > 0; i-- {
			f.send([]string{"\n", "\r\n", "\x00ping\r\n"}[f.r.IntN(3)])
		}
	}
	if f.cur[checker.FMCut] {
		f.served(checker.FMCut)
		f.send(head + "\r\n" + string(payload[:len(payload)/2]))
		f.valid = false
		return // and silence
	}
	// In one to three packets, a little apart.
	cut1 := f.r.IntN(len(payload) + 1)
	f.send(head + "\r\n" + string(payload[:cut1]))
	f.later(sim.Time(f.r.Between(0, int64(50*sim.Millisecond))), func() {
		f.send(string(payload[cut1:]) + tail)
		s := f.session()
		s.Full, s.Streamed = true, true
		f.stage = 6
		f.later(sim.Second, f.ping)
		f.later(sim.Time(f.r.Between(int64(sim.Millisecond), int64(200*sim.Millisecond))), f.streamFull)
	})
}

// streamFull starts the stream after a full sync: SELECT 0 first, as a
// master does after a full sync (its repl_seldb is -1). A snapshot with a
// bad repl-stream-db is followed by no SELECT, as a replica that serves
// its own replicas proxies its master's stream: the replica's stream then
// runs in the db it took from the snapshot.
func (f *fakeMaster) streamFull() {
	if !f.cur[checker.FMBadStreamDB] {
		f.emit(string(resp.AppendCommandStrings(nil, "SELECT", "0")))
	}
	f.db = 0
	f.stream()
}

// fakeMasterSelectDB is the other db the fake master's stream selects.
const fakeMasterSelectDB = 3

// ping sends the master's PING every second while the stream lasts
// (repl-ping-replica-period, shorter than the replica's repl-timeout).
func (f *fakeMaster) ping() {
	f.emit(string(resp.AppendCommandStrings(nil, "PING")))
	f.later(sim.Second, f.ping)
}

// emit sends stream bytes, counting them into the history.
func (f *fakeMaster) emit(p string) {
	s := f.session()
	f.offset += int64(len(p))
	s.Sent += int64(len(p))
	f.send(p)
}

// stream sends a few commands, misbehaving as planned, then a GETACK.
func (f *fakeMaster) stream() {
	n := 1 + f.r.IntN(5)
	var all string
	if f.cur[checker.FMSelectDB] && f.db == 0 {
		f.served(checker.FMSelectDB)
		f.db = fakeMasterSelectDB
		all += string(resp.AppendCommandStrings(nil, "SELECT", strconv.Itoa(f.db)))
	}
	blank, expired := false, false
	for i := 0; i < n; i++ {
		if f.cur[checker.FMBlankStream] && f.r.Chance(0.5) {
			// A keepalive newline, always followed by a command: Redis
			// counts it in the offset with that command (commandProcessed).
			if f.r.Chance(0.5) {
				all += "\n"
			} else {
				all += "\r\n" // an empty line too (processInlineBuffer)
			}
			blank = true
		}
		if f.cur[checker.FMExpire] && f.r.Chance(0.4) {
			all += f.expire()
			expired = true
			continue
		}
		all += f.set()
	}
	if blank {
		f.served(checker.FMBlankStream)
	}
	if expired {
		f.served(checker.FMExpire)
	}
	if f.cur[checker.FMSplit] && len(all) > 2 {
		f.served(checker.FMSplit)
		cut := 1 + f.r.IntN(len(all)-1)
		f.emit(all[:cut])
		f.later(sim.Time(f.r.Between(int64(sim.Millisecond), int64(30*sim.Millisecond))), func() {
			f.emit(all[cut:])
			f.afterStream()
		})
		return
	}
	f.emit(all)
	f.afterStream()
}

// afterStream sends inline text or a bad header (then stops) or a GETACK,
// and hangs up a little later.
func (f *fakeMaster) afterStream() {
	s := f.session()
	if f.cur[checker.FMInline] || f.cur[checker.FMBadHeader] {
		s.InlineAt = s.Sent
		if f.cur[checker.FMInline] {
			f.served(checker.FMInline)
			switch f.r.IntN(3) {
			case 0:
				f.send("PING\r\n")
			case 1:
				f.send("X\r\n") // the shortest inline request
			default:
				// A write: the replica must refuse it, not apply it
				// (end records its data as the link closes).
				s.InlineWant = f.wantData()
				f.send("SET fm:0 inline\r\n")
			}
		} else {
			f.served(checker.FMBadHeader)
			f.send("*1\r\n$x\r\n")
		}
		f.valid = false
		f.stage = 7
		f.later(2*sim.Second, f.hangUp)
		return
	}
	f.waiting = &checker.FakeMasterCheck{At: int64(f.h.w.Now()), Want: f.base + s.Sent, WantData: f.wantData()}
	if f.cur[checker.FMBlankStream] && f.r.Chance(0.5) {
		// A blank line right before the GETACK is history, but the
		// replica's offset takes it in only once the GETACK has run
		// (commandProcessed), after its answer: the answer leaves it out.
		f.emit("\r\n")
		f.served(checker.FMBlankStream)
	}
	f.emit(string(resp.AppendCommandStrings(nil, "REPLCONF", "GETACK", "*")))
	f.stage = 7
	if len(f.plan) > 0 {
		f.later(sim.Time(f.r.Between(int64(500*sim.Millisecond), int64(1500*sim.Millisecond))), f.hangUp)
	}
}

// ack takes a REPLCONF ACK: the answer to the GETACK is the first ACK at
// its offset or beyond.
func (f *fakeMaster) ack(arg string) {
	w := f.waiting
	off, err := strconv.ParseInt(arg, 10, 64)
	if w == nil || err != nil || off < w.Want {
		// Not the answer to a GETACK (a cron ACK, or the first ACK after
		// a diskless load).
		s := f.session()
		s.Acks = append(s.Acks, arg)
		return
	}
	w.Got = off
	w.At = int64(f.h.w.Now())
	w.GotData = f.rep.data()
	s := f.session()
	s.Checks = append(s.Checks, *w)
	f.waiting = nil
}

// copyData is a copy of the master's data ("db:key", as fakeReplica.data
// keys it).
func copyData(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// FakeMasterInput is what the fake-master check reads (nil sessions when
// the seed did not draw it).
func (h *Cluster) FakeMasterInput() checker.FakeMasterInput {
	f := h.fakeMaster
	if f == nil {
		return checker.FakeMasterInput{}
	}
	in := checker.FakeMasterInput{Sessions: h.rec.fakeSessions, Logs: f.rep.logs,
		ReplTimeoutMs: f.rep.node.Config().ReplTimeoutSec * 1000, End: int64(h.w.Now())}
	if f.sess >= 0 {
		// The session open at the end: its pending GETACK.
		s := in.Sessions[f.sess]
		s.Waiting = f.waiting
		in.Sessions = append(in.Sessions[:f.sess:f.sess], s)
	}
	return in
}

// fakeReplica hosts the fake master's replica: a node with its own clock
// (virtual time), disk and log, outside the cluster's nodes.
type fakeReplica struct {
	h    *Cluster
	name string
	node *node.Node
	fs   *disksim.FS
	rng  *sim.Rand
	logs []checker.LogLine
	// linkDown are its master_link_down_since_seconds samples
	// (record_linkdown.go).
	linkDown []checker.LinkDownSample
	// replIDs are its replication IDs, read after each replicationCron
	// (record_replids.go).
	replIDs []checker.ReplIDSample
}

func newFakeReplica(h *Cluster, name string, cfg node.Config) *fakeReplica {
	x := &fakeReplica{h: h, name: name, rng: h.w.Rand("fakemaster/" + name)}
	x.fs = disksim.New(h.w.Rand("fakemaster/disk/" + name))
	x.node = node.New(cfg, x)
	if err := x.node.Load(); err != nil {
		panic(err) // an empty disk
	}
	h.net.AddHost(name, x)
	var tick sim.EventFunc
	tick = func(w *sim.World) {
		w.After(tickInterval, tick)
		runs := x.node.ReplCronRuns()
		x.node.Tick()
		if x.node.ReplCronRuns() != runs && !x.node.Down() {
			if l, ok := linkDownSample(x.node, x.name, 0, w.Now(), x.Now()/1e6, len(x.logs)); ok {
				x.linkDown = append(x.linkDown, l)
			}
			x.replIDs = append(x.replIDs, replIDSample(x.node, x.name, 0, w.Now(), x.Now()/1e6, len(x.logs)))
		}
	}
	h.w.After(sim.Time(x.rng.Int64N(int64(tickInterval))), tick)
	return x
}

// data is the replica's dataset as a client sees it, "db:key" -> value:
// a key whose expiry is before now is gone (keyIsExpired: now > when),
// and a value is followed by its key's expiry (expiryNote).
func (x *fakeReplica) data() map[string]string {
	out := map[string]string{}
	now := x.Now() / 1e6
	for _, kv := range x.node.Dataset() {
		v := kv.Value
		switch {
		case kv.ExpireAt != 0 && kv.ExpireAt < now:
			continue
		case kv.ExpireAt != 0:
			v += expiryNote(kv.ExpireAt)
		}
		out[strconv.Itoa(kv.DB)+":"+kv.Key] = v
	}
	return out
}

// Now implements node.Env.
func (x *fakeReplica) Now() int64 { return epochNs + int64(x.h.w.Now()) }

// Rand implements node.Env.
func (x *fakeReplica) Rand() uint64 { return x.rng.Uint64() }

// Dial implements node.Env.
func (x *fakeReplica) Dial(addr string) node.ConnID {
	return node.ConnID(x.h.net.Dial(x.name, addr))
}

// Send implements node.Env.
func (x *fakeReplica) Send(c node.ConnID, p []byte) { x.h.net.Send(netsim.ConnID(c), p) }

// Close implements node.Env.
func (x *fakeReplica) Close(c node.ConnID) { x.h.net.Close(netsim.ConnID(c)) }

// FS implements node.Env.
func (x *fakeReplica) FS() vfs.FS { return x.fs }

// Background implements node.Env.
func (x *fakeReplica) Background(id uint64, run func(fs vfs.FS) error) {
	x.h.w.After(sim.Millisecond, sim.EventFunc(func(*sim.World) {
		x.node.OnJobDone(id, run(x.fs))
	}))
}

// Logf implements node.Env.
func (x *fakeReplica) Logf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	x.logs = append(x.logs, checker.LogLine{Node: x.name, At: int64(x.h.w.Now()), ClockMs: x.Now() / 1e6, Format: format, Msg: msg})
	x.h.w.Log().S(x.name).S(" log: ").S(strings.ReplaceAll(msg, "\n", `\n`)).End()
}

// OnAccept implements netsim.Handler.
func (x *fakeReplica) OnAccept(_ int, c netsim.ConnID) {
	x.node.OnAccept(node.ConnID(c), "?:0")
}

// OnDialed implements netsim.Handler.
func (x *fakeReplica) OnDialed(c netsim.ConnID, err error) {
	x.node.OnDialed(node.ConnID(c), socketError(err))
}

// OnData implements netsim.Handler.
func (x *fakeReplica) OnData(c netsim.ConnID, p []byte) { x.node.OnData(node.ConnID(c), p) }

// OnClosed implements netsim.Handler.
func (x *fakeReplica) OnClosed(c netsim.ConnID, err error) {
	x.node.OnClosed(node.ConnID(c), closeError(err))
}
