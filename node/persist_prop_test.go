package node

import (
	"fmt"
	"sort"
	"strconv"
	"testing"

	"pgregory.net/rapid"

	"github.com/replsim/replsim/disksim"
	"github.com/replsim/replsim/sim"
)

// model is the dataset as "db:key" -> value.
type model map[string]string

func (m model) list() []string {
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

func sameList(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestPersistProperty runs random writes, saves, rewrites and clock steps
// against a node, crashes its disk and restarts it, and checks what comes
// back against a model of what was made durable:
//   - RDB only: exactly the dataset of the last successful SAVE;
//   - appendfsync always: every acknowledged write;
//   - everysec / no: the dataset after some prefix of the acknowledged
//     writes (never a state that did not exist, never half a MULTI); for
//     everysec the prefix holds every write acknowledged 2 s before the
//     crash.
func TestPersistProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		mode := rapid.SampledFrom([]string{"rdb", "always", "everysec", "no"}).Draw(t, "mode")
		crash := rapid.SampledFrom([]disksim.CrashMode{disksim.CrashLoseAll, disksim.CrashTorn, disksim.CrashKeepAll}).Draw(t, "crash")
		cfg := persistConfig()
		if mode != "rdb" {
			cfg = aofConfig(mode)
		}
		fs := disksim.New(sim.NewRand(rapid.Uint64().Draw(t, "diskseed"), "d"))
		tn := newTestNode(t, cfg, fs)
		if err := tn.n.Load(); err != nil {
			t.Fatalf("load: %v", err)
		}
		cur := model{}
		var saved []string // rdb: dataset of the last SAVE
		states := [][]string{cur.list()}
		ackedAt := []int64{tn.env.now}
		db := 0
		ops := rapid.IntRange(1, 60).Draw(t, "ops")
		for i := 0; i < ops; i++ {
			key := rapid.SampledFrom([]string{"a", "b", "c"}).Draw(t, "key")
			mk := strconv.Itoa(db) + ":" + key
			ok := true
			switch op := rapid.IntRange(0, 9).Draw(t, "op"); op {
			case 0, 1, 2:
				v := strconv.Itoa(rapid.IntRange(0, 99).Draw(t, "v"))
				ok = tn.do("SET", key, v) == "OK"
				cur[mk] = v
			case 3, 4:
				ok = tn.do("INCR", key) != ""
				n, _ := strconv.Atoi(cur[mk])
				cur[mk] = strconv.Itoa(n + 1)
			case 5:
				tn.do("DEL", key)
				delete(cur, mk)
			case 6:
				db = rapid.IntRange(0, 2).Draw(t, "db")
				tn.do("SELECT", strconv.Itoa(db))
				continue
			case 7:
				tn.do("MULTI")
				tn.do("SET", key, "1")
				tn.do("INCR", "other")
				r := tn.do("EXEC")
				ok = r != ""
				cur[mk] = "1"
				n, _ := strconv.Atoi(cur[strconv.Itoa(db)+":other"])
				cur[strconv.Itoa(db)+":other"] = strconv.Itoa(n + 1)
			case 8:
				switch mode {
				case "rdb":
					if tn.do("SAVE") == "OK" {
						saved = cur.list()
					}
				default:
					tn.do("BGREWRITEAOF")
					if rapid.Bool().Draw(t, "finish rewrite") {
						tn.runJobs()
					}
				}
				continue
			case 9:
				tn.advance(int64(rapid.IntRange(1, 15).Draw(t, "ticks")) * 100)
				continue
			}
			if !ok {
				t.Fatalf("write %d not acknowledged", i)
			}
			states = append(states, cur.list())
			ackedAt = append(ackedAt, tn.env.now)
			tn.env.now += 1e6
		}
		crashAt := tn.env.now
		if _, err := fs.Crash(crash); err != nil {
			t.Fatal(err)
		}
		back := newTestNode(t, cfg, fs)
		back.env.now = crashAt
		if err := back.n.Load(); err != nil {
			t.Fatalf("reload: %v", err)
		}
		got := back.data()
		if got == nil {
			got = []string{}
		}
		want := func(w []string) bool { return sameList(got, w) }
		switch {
		case mode == "rdb":
			if saved == nil {
				saved = []string{}
			}
			if !want(saved) {
				t.Fatalf("rdb: got %v, want last save %v", got, saved)
			}
		case mode == "always" || crash == disksim.CrashKeepAll:
			if !want(states[len(states)-1]) {
				t.Fatalf("%s/%s: got %v, want every acknowledged write %v", mode, crash, got, states[len(states)-1])
			}
		default:
			match := -1
			for k := len(states) - 1; k >= 0; k-- {
				if want(states[k]) {
					match = k
					break
				}
			}
			if match < 0 {
				t.Fatalf("%s: got %v, which is no prefix of the writes %v", mode, got, states)
			}
			if mode == "everysec" {
				for k := match + 1; k < len(states); k++ {
					if ackedAt[k] <= crashAt-2e9 && !want(states[k]) {
						t.Fatalf("everysec: write %d acknowledged at %s lost (crash at %s, reloaded prefix %d)",
							k, fmt.Sprint(ackedAt[k]), fmt.Sprint(crashAt), match)
					}
				}
			}
		}
	})
}
