package node

import (
	_ "embed" // the command metadata of Redis 7.0.15
	"strings"
	"sync"

	"github.com/replsim/replsim/node/resp"
)

// Command metadata as Redis 7.0.15 publishes it: the raw replies of a real
// redis-server 7.0.15 to COMMAND and COMMAND DOCS (cmdmeta/, regenerated
// and checked by TestCommandMetaMatchesRedis). COMMAND INFO, DOCS, LIST
// and GETKEYS answer from it for the commands the node implements, so
// flags, ACL categories, key specs and docs are Redis's own, and a command
// another file registers later gets its metadata with no extra work.

//go:embed cmdmeta/command.resp
var rawCommandInfo []byte

//go:embed cmdmeta/docs.resp
var rawCommandDocs []byte

// cmdMeta is one command's or subcommand's metadata.
type cmdMeta struct {
	fullname string // "get", "config|set"
	info     resp.Value
	docs     resp.Value // the docs map; Kind 0 when Redis has none
	subs     map[string]*cmdMeta
	keySpecs []keySpec
	aclCats  []string // without the '@'
	arity    int
}

// metaTable maps lower-case command names to their metadata.
var metaTable = sync.OnceValue(func() map[string]*cmdMeta {
	info, _, err := resp.ParseValue(rawCommandInfo)
	if err != nil {
		panic("node: embedded COMMAND reply: " + err.Error())
	}
	docs, _, err := resp.ParseValue(rawCommandDocs)
	if err != nil {
		panic("node: embedded COMMAND DOCS reply: " + err.Error())
	}
	table := make(map[string]*cmdMeta, len(info.Array))
	for _, e := range info.Array {
		m := newCmdMeta(e)
		table[m.fullname] = m
	}
	for i := 0; i+1 < len(docs.Array); i += 2 {
		if m := table[string(docs.Array[i].Str)]; m != nil {
			m.setDocs(docs.Array[i+1])
		}
	}
	return table
})

func newCmdMeta(e resp.Value) *cmdMeta {
	m := &cmdMeta{fullname: string(e.Array[0].Str), info: e, arity: int(e.Array[1].Int)}
	for _, c := range e.Array[6].Array {
		m.aclCats = append(m.aclCats, strings.TrimPrefix(string(c.Str), "@"))
	}
	for _, s := range e.Array[8].Array {
		m.keySpecs = append(m.keySpecs, parseKeySpec(s))
	}
	for _, s := range e.Array[9].Array {
		sub := newCmdMeta(s)
		if m.subs == nil {
			m.subs = make(map[string]*cmdMeta)
		}
		m.subs[sub.fullname[strings.IndexByte(sub.fullname, '|')+1:]] = sub
	}
	return m
}

// setDocs records d, a docs map, and the docs of the subcommands in it.
func (m *cmdMeta) setDocs(d resp.Value) {
	m.docs = d
	if subs, ok := mapField(d, "subcommands"); ok {
		for i := 0; i+1 < len(subs.Array); i += 2 {
			name := string(subs.Array[i].Str)
			if sub := m.subs[name[strings.IndexByte(name, '|')+1:]]; sub != nil {
				sub.setDocs(subs.Array[i+1])
			}
		}
	}
}

// mapField returns the value under key in a RESP2 flattened map.
func mapField(v resp.Value, key string) (resp.Value, bool) {
	for i := 0; i+1 < len(v.Array); i += 2 {
		if string(v.Array[i].Str) == key {
			return v.Array[i+1], true
		}
	}
	return resp.Value{}, false
}

// metaFor returns the metadata of an implemented command, or nil.
func metaFor(cmd *command) *cmdMeta { return metaTable()[cmd.name] }

// implementedSubs returns m's subcommands that cmd implements, in the
// order Redis listed them.
func implementedSubs(cmd *command, m *cmdMeta) []*cmdMeta {
	var out []*cmdMeta
	for _, e := range m.info.Array[9].Array {
		full := string(e.Array[0].Str)
		name := full[strings.IndexByte(full, '|')+1:]
		for _, s := range cmd.subs {
			if s.name == name {
				out = append(out, m.subs[name])
			}
		}
	}
	return out
}

// infoValue is cmd's COMMAND INFO entry: Redis's, listing only the
// subcommands the node implements.
func (m *cmdMeta) infoValue(cmd *command) resp.Value {
	v := m.info
	if cmd == nil || len(v.Array) < 10 {
		return v
	}
	subs := implementedSubs(cmd, m)
	arr := append([]resp.Value(nil), v.Array...)
	arr[9] = resp.Value{Kind: v.Array[9].Kind, Array: make([]resp.Value, 0, len(subs))}
	for _, s := range subs {
		arr[9].Array = append(arr[9].Array, s.info)
	}
	v.Array = arr
	return v
}

// docsValue is cmd's COMMAND DOCS map, its subcommands limited to the
// implemented ones.
func (m *cmdMeta) docsValue(cmd *command) resp.Value {
	v := m.docs
	if cmd == nil {
		return v
	}
	arr := append([]resp.Value(nil), v.Array...)
	for i := 0; i+1 < len(arr); i += 2 {
		if string(arr[i].Str) != "subcommands" {
			continue
		}
		var kept []resp.Value
		for _, s := range implementedSubs(cmd, m) {
			if s.docs.Kind != 0 {
				kept = append(kept, resp.Value{Kind: resp.BulkString, Str: []byte(s.fullname)}, s.docs)
			}
		}
		arr[i+1] = resp.Value{Kind: arr[i+1].Kind, Array: kept}
	}
	v.Array = arr
	return v
}

// addValue writes a parsed reply value.
func (c *client) addValue(v resp.Value) {
	if c.silent() {
		return
	}
	c.out = resp.AppendValue(c.outBuf(), v)
	c.markPending()
}
