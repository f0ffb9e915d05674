package checker

import (
	"strconv"

	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/tap"
)

// world builds recorded replication events for tests: a master writing
// commands under a replication ID, replicas applying them, reads.
type world struct {
	seq    int
	now    int64
	in     PrefixInput
	offset map[string]int64 // per replid
	data   map[string]map[string]string
}

func newWorld() *world {
	return &world{offset: map[string]int64{}, data: map[string]map[string]string{}}
}

func (w *world) tick() int64 { w.now += 1000; w.seq++; return w.now }

func enc(cmds ...[]string) []byte {
	var out []byte
	for _, c := range cmds {
		out = resp.AppendCommandStrings(out, c...)
	}
	return out
}

func cmd(args ...string) []string { return args }

// write appends one master write (one or more commands) to replid.
func (w *world) write(master, replid string, cmds ...[]string) StreamChunk {
	at := w.tick()
	p := enc(cmds...)
	c := StreamChunk{Seq: w.seq, At: at, Node: master, ReplID: replid, Start: w.offset[replid], Data: p}
	w.offset[replid] += int64(len(p))
	w.in.Chunks = append(w.in.Chunks, c)
	return c
}

// apply has replica apply a chunk as it was written (under replid).
func (w *world) apply(replica, replid string, c StreamChunk) {
	at := w.tick()
	w.in.Chunks = append(w.in.Chunks, StreamChunk{Seq: w.seq, At: at, Node: replica, ReplID: replid,
		Start: c.Start, Data: c.Data, Replica: true})
}

// applyBytes has replica apply arbitrary bytes at offset start.
func (w *world) applyBytes(replica, replid string, start int64, p []byte) {
	at := w.tick()
	w.in.Chunks = append(w.in.Chunks, StreamChunk{Seq: w.seq, At: at, Node: replica, ReplID: replid,
		Start: start, Data: p, Replica: true})
}

// fullSync has replica load a snapshot of replid at offset.
func (w *world) fullSync(replica, master, replid string, offset int64, rdb, loaded []tap.KeyValue) {
	at := w.tick()
	w.in.FullSyncs = append(w.in.FullSyncs, FullSync{Seq: w.seq, At: at, Node: replica, Master: master,
		ReplID: replid, Offset: offset, RDB: rdb, Loaded: loaded})
}

// read records a GET on a replica spanning one tick.
func (w *world) read(replica, key string, val string, exists bool) {
	call := w.now + 1
	w.now += 500
	w.in.Reads = append(w.in.Reads, Op{ID: len(w.in.Reads), Client: 9, Node: replica, Kind: OpGet, Key: key,
		Call: call, Return: w.now, Exists: exists, Result: val})
}

func kvs(pairs ...string) []tap.KeyValue {
	var out []tap.KeyValue
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, tap.KeyValue{Key: pairs[i], Value: pairs[i+1]})
	}
	tap.SortKeyValues(out)
	return out
}

// genStreamInput is a master writing n commands, a replica applying each,
// and reads of the value just applied.
func genStreamInput(n, reads int) PrefixInput {
	w := newWorld()
	w.fullSync("n2", "n1", "R", 0, nil, nil)
	c := w.write("n1", "R", cmd("SELECT", "0"))
	w.apply("n2", "R", c)
	every := n / reads
	for i := 0; i < n; i++ {
		k := "k" + strconv.Itoa(i%8)
		var c StreamChunk
		switch i % 3 {
		case 0, 1:
			c = w.write("n1", "R", cmd("SET", k, strconv.Itoa(i)))
		default:
			c = w.write("n1", "R", cmd("DEL", k))
		}
		w.apply("n2", "R", c)
		if every > 0 && i%every == 0 {
			if i%3 == 2 {
				w.read("n2", k, "", false)
			} else {
				w.read("n2", k, strconv.Itoa(i), true)
			}
		}
	}
	return w.in
}
