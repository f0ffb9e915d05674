package node

import (
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/node/resp"
)

// TestCommandMetaMatchesRedis checks the embedded COMMAND and COMMAND DOCS
// replies against a real redis-server 7.0.15 (entry by entry: Redis's
// order is its hash table's), and rewrites them with
// REPLSIM_UPDATE_CMDMETA=1. Then COMMAND INFO, DOCS, GETKEYS and LIST
// answers are compared with Redis's for the commands the node implements.
func TestCommandMetaMatchesRedis(t *testing.T) {
	rc := startRealRedis(t)
	var buf []byte
	rawInfo := redisCall(t, rc, &buf, "COMMAND")
	rawDocs := redisCall(t, rc, &buf, "COMMAND", "DOCS")
	if os.Getenv("REPLSIM_UPDATE_CMDMETA") != "" {
		require.NoError(t, os.WriteFile("cmdmeta/command.resp", []byte(rawInfo), 0o644))
		require.NoError(t, os.WriteFile("cmdmeta/docs.resp", []byte(rawDocs), 0o644))
		t.Skip("rewrote cmdmeta/; run again to compare")
	}
	assert.Empty(t, metaDiff(t, []byte(rawInfo), rawCommandInfo, false), "cmdmeta/command.resp is not what redis-server 7.0.15 answers")
	assert.Empty(t, metaDiff(t, []byte(rawDocs), rawCommandDocs, true), "cmdmeta/docs.resp is not what redis-server 7.0.15 answers")

	n, e := newCfgNode(t)
	// Commands whose every Redis subcommand we implement answer the same.
	for _, name := range sortedCommandNames() {
		cmd := commandTable[name]
		m := metaFor(cmd)
		require.NotNil(t, m, "%s: no Redis metadata", name)
		if len(implementedSubs(cmd, m)) != len(m.subs) {
			continue
		}
		// Subcommands come in the order of Redis's hash table, which
		// changes from run to run.
		assert.Empty(t, metaDiff(t, []byte(redisCall(t, rc, &buf, "COMMAND", "INFO", name)),
			[]byte(call(t, n, e, 1, "COMMAND", "INFO", name)), false), name)
		assert.Empty(t, metaDiff(t, []byte(redisCall(t, rc, &buf, "COMMAND", "DOCS", name)),
			[]byte(call(t, n, e, 1, "COMMAND", "DOCS", name)), true), name)
	}
	for _, args := range [][]string{
		{"COMMAND", "INFO", "config|get", "get|key", "nosuch"},
		{"COMMAND", "DOCS", "config|get", "nosuch"},
		{"COMMAND", "GETKEYS", "get", "a"},
		{"COMMAND", "GETKEYS", "get"},
		{"COMMAND", "GETKEYS", "get", "a", "b"},
		{"COMMAND", "GETKEYS", "nosuch", "a"},
		{"COMMAND", "GETKEYS", "ping", "x"},
		{"COMMAND", "GETKEYS", "mset", "a", "b", "c", "d"},
		{"COMMAND", "GETKEYS", "mset", "a", "b", "c"},
		{"COMMAND", "GETKEYS", "set", "k", "v", "GET"},
		{"COMMAND", "GETKEYS", "rename", "a", "b"},
		{"COMMAND", "GETKEYS", "memory", "usage", "k"},
		{"COMMAND", "GETKEYS", "memory", "nosuch", "k"},
		{"COMMAND", "GETKEYS", "config", "get", "x"},
		{"COMMAND", "GETKEYS", "object", "encoding", "x", "y"},
		{"COMMAND", "GETKEYSANDFLAGS", "set", "k", "v"},
		{"COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "gEt"},
		{"COMMAND", "GETKEYSANDFLAGS", "getdel", "k"},
		{"COMMAND", "GETKEYSANDFLAGS", "smove", "a", "b", "m"},
		{"COMMAND", "GETKEYSANDFLAGS", "sintercard", "2", "a", "b", "LIMIT", "1"},
		{"COMMAND", "GETKEYSANDFLAGS", "sintercard", "x", "a"},
		{"COMMAND", "LIST", "FILTERBY", "PATTERN", "set"},
		{"COMMAND", "LIST", "FILTERBY", "PATTERN", "CONFIG|G*"},
		{"COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuch"},
		{"COMMAND", "LIST", "FILTERBY", "MODULE", "nosuch"},
		{"COMMAND", "LIST", "bad"},
		{"COMMAND", "LIST", "FILTERBY", "bad", "x"},
		{"COMMAND", "GETKEYS"},
		{"COMMAND", "HELP"},
	} {
		assert.Equal(t, redisCall(t, rc, &buf, args...), call(t, n, e, 1, args...), "%q", args)
	}
}

// metaDiff names the commands whose entries differ between two COMMAND
// (or, with docs, COMMAND DOCS) replies, ignoring the order of commands
// and of subcommands (Redis's hash tables decide both).
func metaDiff(t *testing.T, a, b []byte, docs bool) []string {
	t.Helper()
	index := func(raw []byte) map[string]string {
		v, _, err := resp.ParseValue(raw)
		require.NoError(t, err)
		out := map[string]string{}
		if docs {
			for i := 0; i+1 < len(v.Array); i += 2 {
				out[string(v.Array[i].Str)] = canonDocs(v.Array[i+1])
			}
			return out
		}
		for _, e := range v.Array {
			out[string(e.Array[0].Str)] = canonInfo(e)
		}
		return out
	}
	ia, ib := index(a), index(b)
	var diff []string
	for name, x := range ia {
		if ib[name] != x {
			diff = append(diff, name)
		}
	}
	for name := range ib {
		if _, ok := ia[name]; !ok {
			diff = append(diff, name)
		}
	}
	sort.Strings(diff)
	return diff
}

func canonInfo(e resp.Value) string {
	if len(e.Array) < 10 {
		return string(resp.AppendValue(nil, e))
	}
	var subs []string
	for _, s := range e.Array[9].Array {
		subs = append(subs, canonInfo(s))
	}
	sort.Strings(subs)
	head := e
	head.Array = append([]resp.Value(nil), e.Array[:9]...)
	return string(resp.AppendValue(nil, head)) + strings.Join(subs, "")
}

func canonDocs(d resp.Value) string {
	var out []string
	for i := 0; i+1 < len(d.Array); i += 2 {
		k := string(d.Array[i].Str)
		if k != "subcommands" {
			out = append(out, k+"="+string(resp.AppendValue(nil, d.Array[i+1])))
			continue
		}
		var subs []string
		for j := 0; j+1 < len(d.Array[i+1].Array); j += 2 {
			subs = append(subs, string(d.Array[i+1].Array[j].Str)+"="+canonDocs(d.Array[i+1].Array[j+1]))
		}
		sort.Strings(subs)
		out = append(out, "subcommands="+strings.Join(subs, ";"))
	}
	return strings.Join(out, ",")
}
