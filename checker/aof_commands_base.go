package checker

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
)

// aofRewriteItemsPerCmd is how many items (elements, members, field-value
// or score-member pairs) Redis 7.0.15 writes per command when it rewrites
// a collection into AOF commands (AOF_REWRITE_ITEMS_PER_CMD).
const aofRewriteItemsPerCmd = 64

// baseCommand is how a command of a rewrite's commands base is built:
// the fixed arguments after the key, or the group size of its items.
var baseCommand = map[string]struct {
	args  int // exact argument count (with the name and the key); 0: items follow
	group int // strings per item
}{
	"SET": {args: 3}, "PEXPIREAT": {args: 3},
	"RPUSH": {group: 1}, "SADD": {group: 1}, "HMSET": {group: 2}, "ZADD": {group: 2},
}

// CheckCommandBases judges every AOF base in commands form (aof-use-rdb-
// preamble no) that a running node's manifest names, against Redis 7.0.15's
// rewriteAppendOnlyFileRio: a "#TS:" annotation first only with
// aof-timestamp-enabled (it may have been turned off since), then for each database that holds keys, in
// increasing order, one SELECT and its keys; each key as one SET, or as
// RPUSH/SADD/HMSET/ZADD commands of 64 items each but the last, then a
// PEXPIREAT when it has a TTL. A SELECT of an empty database, a key split
// across the file, or a short batch before the last is a rewrite Redis
// does not write (its loader would accept most of them, which is why only
// this rule sees them).
func CheckCommandBases(files []ManifestFile) []Violation {
	var out []Violation
	for _, f := range files {
		names := make([]string, 0, len(f.CommandBases))
		for name := range f.CommandBases {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			if msg := judgeCommandBase([]byte(f.CommandBases[name]), f.Timestamps); msg != "" {
				out = append(out, Violation{Check: "aof_base_commands", Nodes: []string{f.Node},
					Detail: fmt.Sprintf("%s: AOF base %s: %s", f.Node, name, msg)})
			}
		}
	}
	return out
}

// judgeCommandBase returns what is wrong with base, or "".
func judgeCommandBase(base []byte, timestamps bool) string {
	pos := 0
	if bytes.HasPrefix(base, []byte("#TS:")) {
		if !timestamps {
			return "a #TS: annotation at byte 0, but aof-timestamp-enabled was never yes"
		}
		end := bytes.Index(base, []byte("\r\n"))
		if end < 0 || !allDigits(base[4:end]) {
			return "a malformed #TS: annotation at byte 0"
		}
		pos = end + 2
	}
	db := -1
	keysInDB := 0
	seen := map[string]bool{}
	key := ""   // the key whose commands are being read
	short := "" // a batch shorter than 64 items was the key's last one
	expired := false
	for pos < len(base) {
		at := pos
		args, n, msg := parseBaseCommand(base[pos:])
		if msg != "" {
			return fmt.Sprintf("%s at byte %d", msg, at)
		}
		pos += n
		name := string(bytes.ToUpper(args[0]))
		if name == "SELECT" {
			if len(args) != 2 {
				return fmt.Sprintf("SELECT with %d arguments at byte %d", len(args)-1, at)
			}
			j, err := strconv.Atoi(string(args[1]))
			if err != nil || strconv.Itoa(j) != string(args[1]) || j <= db {
				return fmt.Sprintf("SELECT %q after database %d at byte %d: Redis selects each database once, in increasing order", args[1], db, at)
			}
			if db >= 0 && keysInDB == 0 {
				return fmt.Sprintf("SELECT %d at byte %d right after SELECT %d: Redis skips a database without keys", j, at, db)
			}
			db, keysInDB, key, short, expired = j, 0, "", "", false
			clear(seen)
			continue
		}
		spec, ok := baseCommand[name]
		if !ok {
			return fmt.Sprintf("%s at byte %d: not a command a rewrite writes", args[0], at)
		}
		if db < 0 {
			return fmt.Sprintf("%s at byte %d before any SELECT", name, at)
		}
		if len(args) < 2 {
			return fmt.Sprintf("%s without a key at byte %d", name, at)
		}
		k := string(args[1])
		if k != key {
			if seen[k] {
				return fmt.Sprintf("key %q at byte %d again, after other keys: Redis writes a key's commands together", k, at)
			}
			if name == "PEXPIREAT" {
				return fmt.Sprintf("PEXPIREAT %q at byte %d without the key's value before it", k, at)
			}
			seen[k], key, short, expired = true, k, "", false
			keysInDB++
		} else if expired {
			return fmt.Sprintf("%s %q at byte %d after its PEXPIREAT", name, k, at)
		} else if name == "SET" {
			return fmt.Sprintf("a second SET %q at byte %d", k, at)
		}
		if spec.args != 0 {
			if len(args) != spec.args {
				return fmt.Sprintf("%s %q with %d arguments at byte %d", name, k, len(args)-1, at)
			}
			if name == "PEXPIREAT" {
				if _, err := strconv.ParseInt(string(args[2]), 10, 64); err != nil {
					return fmt.Sprintf("PEXPIREAT %q %q at byte %d: not an integer", k, args[2], at)
				}
				expired = true
			}
			continue
		}
		items := len(args) - 2
		if items == 0 || items%spec.group != 0 || items/spec.group > aofRewriteItemsPerCmd {
			return fmt.Sprintf("%s %q with %d arguments at byte %d: Redis writes 1 to %d items of %d per command",
				name, k, items, at, aofRewriteItemsPerCmd, spec.group)
		}
		if short != "" {
			return fmt.Sprintf("%s %q at byte %d after a batch of %s items: Redis fills each batch but the last with %d",
				name, k, at, short, aofRewriteItemsPerCmd)
		}
		if items/spec.group < aofRewriteItemsPerCmd {
			short = strconv.Itoa(items / spec.group)
		}
	}
	if db >= 0 && keysInDB == 0 {
		return fmt.Sprintf("ends right after SELECT %d: Redis skips a database without keys", db)
	}
	return ""
}

// parseBaseCommand reads one command in RESP's multibulk form, as Redis's
// rewrite writes it (no inline commands, no blank lines).
func parseBaseCommand(b []byte) (args [][]byte, n int, msg string) {
	line := func(from int) (string, int, bool) {
		end := bytes.Index(b[from:], []byte("\r\n"))
		if end < 0 {
			return "", 0, false
		}
		return string(b[from : from+end]), from + end + 2, true
	}
	head, pos, ok := line(0)
	if !ok || len(head) < 2 || head[0] != '*' {
		return nil, 0, "not a multibulk command"
	}
	count, err := strconv.Atoi(head[1:])
	if err != nil || count < 1 || strconv.Itoa(count) != head[1:] {
		return nil, 0, fmt.Sprintf("a bad argument count %q", head)
	}
	for range count {
		l, next, ok := line(pos)
		if !ok || len(l) < 2 || l[0] != '$' {
			return nil, 0, "a bad bulk header"
		}
		size, err := strconv.Atoi(l[1:])
		if err != nil || size < 0 || strconv.Itoa(size) != l[1:] || next+size+2 > len(b) || string(b[next+size:next+size+2]) != "\r\n" {
			return nil, 0, fmt.Sprintf("a bad bulk %q", l)
		}
		args = append(args, b[next:next+size])
		pos = next + size + 2
	}
	return args, pos, ""
}

func allDigits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
