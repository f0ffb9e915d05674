package node

import (
	"strings"

	"github.com/replsim/replsim/node/resp"
)

// Key specifications (Redis 7's key_specs) and COMMAND GETKEYS /
// GETKEYSANDFLAGS, which find a command's key arguments the way Redis's
// getKeysUsingKeySpecs does: each spec says where the search begins (an
// index, or the argument after a keyword) and how keys follow (a range, or
// a count argument).

type keySpec struct {
	flags []string // RW, access, insert, not_key, incomplete, ...
	// begin_search: index, or keyword searched from startFrom (negative:
	// from the end, backwards).
	bsType    string // "index", "keyword", "unknown"
	index     int
	keyword   string
	startFrom int
	// find_keys: range (lastKey, keyStep, limit) or keynum (keyNumIdx,
	// firstKey, keyStep).
	fkType    string // "range", "keynum", "unknown"
	lastKey   int
	keyStep   int
	limit     int
	keyNumIdx int
	firstKey  int
}

func (s *keySpec) has(flag string) bool {
	for _, f := range s.flags {
		if f == flag {
			return true
		}
	}
	return false
}

func parseKeySpec(v resp.Value) keySpec {
	var s keySpec
	if f, ok := mapField(v, "flags"); ok {
		for _, x := range f.Array {
			s.flags = append(s.flags, string(x.Str))
		}
	}
	num := func(m resp.Value, key string) int {
		x, _ := mapField(m, key)
		return int(x.Int)
	}
	if bs, ok := mapField(v, "begin_search"); ok {
		t, _ := mapField(bs, "type")
		s.bsType = string(t.Str)
		spec, _ := mapField(bs, "spec")
		s.index = num(spec, "index")
		kw, _ := mapField(spec, "keyword")
		s.keyword = string(kw.Str)
		s.startFrom = num(spec, "startfrom")
	}
	if fk, ok := mapField(v, "find_keys"); ok {
		t, _ := mapField(fk, "type")
		s.fkType = string(t.Str)
		spec, _ := mapField(fk, "spec")
		s.lastKey, s.keyStep, s.limit = num(spec, "lastkey"), num(spec, "keystep"), num(spec, "limit")
		s.keyNumIdx, s.firstKey = num(spec, "keynumidx"), num(spec, "firstkey")
	}
	return s
}

// keyRef is one key argument found: its position in argv and its spec's
// flags.
type keyRef struct {
	pos   int
	flags []string
}

// keysBySpecs is getKeysUsingKeySpecs: ok is false when a spec does not
// fit the arguments or is incomplete (Redis then falls back to the
// command's own key finder).
func keysBySpecs(specs []keySpec, argv [][]byte) (keys []keyRef, ok bool) {
	argc := len(argv)
	for i := range specs {
		s := &specs[i]
		if s.has("not_key") {
			continue
		}
		first := 0
		switch s.bsType {
		case "index":
			first = s.index
		case "keyword":
			start, end := s.startFrom, argc-1
			if s.startFrom <= 0 {
				start, end = argc+s.startFrom, 1
			}
			for j := start; ; {
				if j >= argc || j < 1 {
					break
				}
				if strings.EqualFold(string(argv[j]), s.keyword) {
					first = j + 1
					break
				}
				if j == end {
					break
				}
				if start <= end {
					j++
				} else {
					j--
				}
			}
			if first == 0 {
				continue
			}
		default:
			return nil, false
		}
		var last, step int
		switch s.fkType {
		case "range":
			step = s.keyStep
			switch {
			case s.lastKey >= 0:
				last = first + s.lastKey
			case s.limit == 0:
				last = argc + s.lastKey
			default:
				last = first + ((argc-first)/s.limit + s.lastKey)
			}
		case "keynum":
			step = s.keyStep
			if s.keyNumIdx >= argc || first+s.keyNumIdx >= argc {
				return nil, false
			}
			n, good := parseInt(argv[first+s.keyNumIdx])
			if !good || n < 0 || n > int64(argc) {
				return nil, false
			}
			first += s.firstKey
			last = first + int(n) - 1
		default:
			return nil, false
		}
		if last >= argc || last < first || first >= argc {
			return nil, false
		}
		if step <= 0 {
			step = 1
		}
		for j := first; j <= last; j += step {
			keys = append(keys, keyRef{pos: j, flags: s.flags})
		}
		if s.has("incomplete") {
			return nil, false
		}
	}
	return keys, true
}

// getkeysCommand is COMMAND GETKEYS and GETKEYSANDFLAGS.
func getkeysCommand(n *Node, c *client, args [][]byte, withFlags bool) {
	argv := args[2:]
	cmd := lookupCommand(argv[0])
	var m *cmdMeta
	if cmd != nil {
		m = metaFor(cmd)
		if m != nil && m.subs != nil && len(argv) >= 2 {
			if sub := findSub(cmd, argv); sub != nil {
				m = m.subs[sub.name]
			} else {
				m = nil
			}
		}
	}
	if m == nil {
		c.addError("ERR Invalid command specified")
		return
	}
	hasKeys := false
	for i := range m.keySpecs {
		hasKeys = hasKeys || !m.keySpecs[i].has("not_key")
	}
	if !hasKeys {
		c.addError("ERR The command has no key arguments")
		return
	}
	if (m.arity > 0 && len(argv) != m.arity) || len(argv) < -m.arity {
		c.addError("ERR Invalid number of arguments specified for command")
		return
	}
	keys, ok := m.keys(argv)
	if !ok || len(keys) == 0 {
		if m.hasFlag("no_mandatory_keys") {
			c.addArrayLen(0)
		} else {
			c.addError("ERR Invalid arguments specified for command")
		}
		return
	}
	c.addArrayLen(len(keys))
	for _, k := range keys {
		if !withFlags {
			c.addBulkBytes(argv[k.pos])
			continue
		}
		c.addArrayLen(2)
		c.addBulkBytes(argv[k.pos])
		c.addArrayLen(len(k.flags))
		for _, f := range k.flags {
			c.addSimple(f)
		}
	}
}

// keys finds the key arguments of argv, as Redis's
// getKeysFromCommandWithSpecs: by the key specs unless one has variable
// flags (or they do not fit), then by the command's own key finder.
func (m *cmdMeta) keys(argv [][]byte) ([]keyRef, bool) {
	varFlags := false
	for i := range m.keySpecs {
		varFlags = varFlags || m.keySpecs[i].has("variable_flags")
	}
	if !varFlags {
		if keys, ok := keysBySpecs(m.keySpecs, argv); ok {
			return keys, true
		}
	}
	if proc := getkeysProcs[m.fullname]; proc != nil {
		return proc(argv), true
	}
	if varFlags {
		return keysBySpecs(m.keySpecs, argv)
	}
	return nil, false
}

// getkeysProcs are the commands' own key finders (Redis's getkeys_proc)
// for commands whose specs cannot say everything: SET and BITFIELD, whose
// key flags depend on their options, and SORT and SORT_RO, whose STORE
// and BY/GET keys no spec can find.
var getkeysProcs = map[string]func(argv [][]byte) []keyRef{
	"sort": sortGetKeys,
	// sortROGetKeys: SORT_RO's second spec (its BY/GET keys) is of an
	// unknown kind, so its specs never fit; its own finder names the
	// sorted key (db.c).
	"sort_ro": func([][]byte) []keyRef { return []keyRef{{1, []string{"RO", "access"}}} },
	"set": func(argv [][]byte) []keyRef {
		for _, a := range argv[3:] {
			if equalFold(a, "get") {
				return []keyRef{{1, []string{"RW", "access", "update"}}}
			}
		}
		return []keyRef{{1, []string{"OW", "update"}}}
	},
	"bitfield": func(argv [][]byte) []keyRef {
		readonly := true
	scan:
		for i := 2; i < len(argv); i++ {
			rest := len(argv) - i - 1
			switch {
			case equalFold(argv[i], "get") && rest >= 2:
				i += 2
			case (equalFold(argv[i], "set") || equalFold(argv[i], "incrby")) && rest >= 3:
				readonly = false
				break scan
			case equalFold(argv[i], "overflow") && rest >= 1:
				i++
			default:
				readonly = false
				break scan
			}
		}
		if readonly {
			return []keyRef{{1, []string{"RO", "access"}}}
		}
		return []keyRef{{1, []string{"RW", "access", "update"}}}
	},
}

// hasFlag reports whether COMMAND INFO lists flag for the command.
func (m *cmdMeta) hasFlag(flag string) bool {
	for _, f := range m.info.Array[2].Array {
		if string(f.Str) == flag {
			return true
		}
	}
	return false
}

// sortGetKeys is SORT's key finder: the sorted key, and the argument after
// the last STORE that has one. It scans options as Redis's sortGetKeys
// does, not as SORT parses them: LIMIT skips two arguments, GET and BY one,
// anything else none (so STORE's argument is scanned as an option too).
func sortGetKeys(argv [][]byte) []keyRef {
	keys := []keyRef{{1, []string{"RO", "access"}}}
	store := 0
	for i := 2; i < len(argv); i++ {
		switch {
		case equalFold(argv[i], "limit"):
			i += 2
		case equalFold(argv[i], "get"), equalFold(argv[i], "by"):
			i++
		case equalFold(argv[i], "store") && i+1 < len(argv):
			store = i + 1
		}
	}
	if store > 0 {
		keys = append(keys, keyRef{store, []string{"OW", "update"}})
	}
	return keys
}
