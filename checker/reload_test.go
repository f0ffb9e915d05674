package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/tap"
)

func TestCheckReloads(t *testing.T) {
	plain := tap.KeyValue{Key: "k1", Value: "1"}
	ttl := tap.KeyValue{Key: "k2", Value: "2", ExpireAt: 5000}
	reload := func(master bool, reply string, after ...tap.KeyValue) Reload {
		return Reload{At: 1e9, Node: "n1", Args: []string{"DEBUG", "RELOAD"}, Master: master, Reply: reply,
			Before: []tap.KeyValue{plain, ttl}, After: after}
	}
	loadAOF := func(r Reload) Reload {
		r.Args = []string{"DEBUG", "LOADAOF"}
		return r
	}
	nosave := func(r Reload) Reload {
		r.Args = []string{"DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"}
		return r
	}
	evicted := func(r Reload, keys ...tap.KeyValue) Reload {
		r.Evicted = keys
		return r
	}
	aofBytes := func(r Reload, before, after int64) Reload {
		r.AOFBytesBefore, r.AOFBytesAfter = before, after
		return r
	}
	ok := []Reload{
		reload(false, "OK", plain, ttl),
		reload(true, "OK", plain, ttl),
		reload(true, "OK", plain),                // k2 may have expired at the load
		reload(false, "ERR", plain, ttl),         // the save failed: nothing flushed
		reload(true, loadFailed, tap.KeyValue{}), // a failed load is not judged
		evicted(reload(true, "OK", ttl), plain),  // evicted before the reload ran
		evicted(reload(false, "OK", ttl), plain), // NOFLUSH MERGE loads the file without it
		loadAOF(reload(false, "OK", plain, ttl)),
		loadAOF(reload(true, "OK", plain, ttl)), // an AOF load keeps expired keys
		nosave(reload(true, "OK", plain, ttl)),
		aofBytes(loadAOF(reload(false, "OK", plain, ttl)), 120, 120), // the buffer written out, nothing fed
		aofBytes(loadAOF(reload(false, "OK", plain, ttl)), -1, 130),  // not known
		// Gate seed 3653: k1 evicted as DEBUG LOADAOF came in; its DEL
		// (after a SELECT, or not) written out with the buffer.
		aofBytes(loadAOF(evicted(reload(false, "OK", ttl), plain)), 120, 120+23+21),
		aofBytes(loadAOF(evicted(reload(false, "OK", ttl), plain)), 120, 120+21),
	}
	assert.Empty(t, CheckReloads(ok))

	for name, r := range map[string]Reload{
		"a replica keeps expired keys":   reload(false, "OK", plain),
		"a TTL dropped":                  reload(true, "OK", plain, tap.KeyValue{Key: "k2", Value: "2"}),
		"a value changed":                reload(false, "OK", tap.KeyValue{Key: "k1", Value: "x"}, ttl),
		"a key without TTL lost":         reload(true, "OK", ttl),
		"a key appeared":                 reload(false, "OK", plain, ttl, tap.KeyValue{Key: "k3", Value: "3"}),
		"a failed save flushed the data": reload(true, "ERR"),
		"k1 of db 1 evicted, of db 0 lost": evicted(reload(false, "OK", ttl),
			tap.KeyValue{Key: "k1", DB: 1}),
		"an AOF load expires nothing":   loadAOF(reload(true, "OK", plain)),
		"an AOF load lost a key":        loadAOF(reload(false, "OK", ttl)),
		"a NOSAVE reload changed a key": nosave(reload(false, "OK", tap.KeyValue{Key: "k1", Value: "0"}, ttl)),
		// Mutant aof.go:96:3: the load's commands fed back into the AOF.
		"an AOF load wrote to the AOF":                  aofBytes(loadAOF(reload(false, "OK", plain, ttl)), 120, 185),
		"an AOF load wrote more than an eviction's DEL": aofBytes(loadAOF(evicted(reload(false, "OK", ttl), plain)), 120, 120+23+21+1),
	} {
		vs := CheckReloads([]Reload{r})
		require.Len(t, vs, 1, name)
		assert.Equal(t, PropDurability, vs[0].Check, name)
	}
}

// A DEBUG RELOAD that emptied the node explains a nil EXEC.
func TestWatchAbortExcusedByReload(t *testing.T) {
	w := Op{Kind: OpTx, Mode: TxWatch, Node: "n1", Call: 100, Return: 200, Int: 0,
		Sub: []Op{{Kind: OpGet, Key: "w1"}}}
	require.True(t, w.IsWatchTx())
	vs := CheckWatchAborts([]Op{w}, Lifetimes{}, 0)
	require.Len(t, vs, 1, "an unexplained nil EXEC")
	assert.Empty(t, CheckWatchAborts([]Op{w}, Lifetimes{Flushes: map[string][]int64{"n1": {150}}}, 0))
	assert.Len(t, CheckWatchAborts([]Op{w}, Lifetimes{Flushes: map[string][]int64{"n1": {250}}}, 0), 1, "after the EXEC")
}

// The reload's "Done loading RDB" line counts the file it saved: the
// dataset before, less the keys evicted as the command came in, each key
// once (mutant persist_rdb.go:271:2: counts summed over a process's
// loads).
func TestCheckReloadsLoadCounts(t *testing.T) {
	plain := tap.KeyValue{Key: "k1", Value: "1"}
	ttl := tap.KeyValue{Key: "k2", Value: "2", ExpireAt: 5000}
	reload := func(master bool, loaded, expired int, evicted ...tap.KeyValue) Reload {
		r := Reload{At: 1e9, Node: "n1", Args: []string{"DEBUG", "RELOAD"}, Master: master, Reply: "OK",
			Before: []tap.KeyValue{plain, ttl}, After: []tap.KeyValue{plain, ttl}, Evicted: evicted,
			Logged: []LogLine{line(1, logRDBLoaded, loaded, expired)}}
		if len(evicted) > 0 {
			r.After = []tap.KeyValue{ttl}
		}
		if master && expired > 0 {
			r.After = []tap.KeyValue{plain}
		}
		return r
	}
	assert.Empty(t, CheckReloads([]Reload{reload(false, 2, 0), reload(true, 1, 1), reload(true, 1, 0, plain)}))
	for name, r := range map[string]Reload{
		"counted twice":           reload(false, 4, 0),
		"an evicted key counted":  reload(true, 2, 0, plain),
		"a replica expiring keys": reload(false, 1, 1),
	} {
		vs := CheckReloads([]Reload{r})
		require.Len(t, vs, 1, name)
		assert.Contains(t, vs[0].Detail, "Done loading RDB", name)
	}
}
