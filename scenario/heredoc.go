package scenario

import (
	"fmt"
	"strconv"
	"strings"
)

// word is a word of a command line; quoted says some of it was written
// between quotes (so it is never a <<TAG mark).
type word struct {
	text   string
	quoted bool
}

// heredocMarks returns the <<TAG marks of a command line, in order.
func heredocMarks(line string) ([]Heredoc, error) {
	ws, err := splitWords(line)
	if err != nil {
		return nil, err
	}
	var out []Heredoc
	seen := map[string]bool{}
	for _, w := range ws {
		key, tag, ok := heredocMark(w)
		if !ok {
			continue
		}
		if !validTag(tag) {
			return nil, fmt.Errorf("heredoc <<%s: a tag is a capital letter, then capitals, digits or _", tag)
		}
		if seen[tag] {
			return nil, fmt.Errorf("heredoc <<%s twice in one command", tag)
		}
		seen[tag] = true
		out = append(out, Heredoc{Tag: tag, Key: key})
	}
	return out, nil
}

// heredocMark reports whether w is <<TAG or KEY=<<TAG.
func heredocMark(w word) (key, tag string, ok bool) {
	if w.quoted {
		return "", "", false
	}
	if tag, ok := strings.CutPrefix(w.text, "<<"); ok {
		return "", tag, true
	}
	key, v, ok := strings.Cut(w.text, "=")
	if !ok {
		return "", "", false
	}
	tag, ok = strings.CutPrefix(v, "<<")
	return key, tag, ok
}

func validTag(t string) bool {
	if t == "" || t[0] < 'A' || t[0] > 'Z' {
		return false
	}
	for i := 1; i < len(t); i++ {
		if c := t[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// Words returns the block's command split into words, each <<TAG word
// replaced by its body (KEY=<<TAG by KEY=body).
func (b *ScriptBlock) Words() ([]string, error) {
	ws, err := splitWords(b.Command)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.text
		key, tag, ok := heredocMark(w)
		if !ok {
			continue
		}
		found := false
		for _, d := range b.Heredocs {
			if d.Tag == tag {
				out[i], found = d.Body, true
				if key != "" {
					out[i] = key + "=" + d.Body
				}
			}
		}
		if !found {
			return nil, fmt.Errorf("<<%s has no body", tag)
		}
	}
	return out, nil
}

// toHeredocs rewrites a command whose words hold whole lines (a quoted
// KEY="...\n...\n") with heredocs for them; other commands stay as they
// are.
func toHeredocs(cmd string) (string, []Heredoc) {
	ws, err := splitWords(cmd)
	if err != nil {
		return cmd, nil
	}
	multi := func(s string) bool {
		return strings.HasSuffix(s, "\n") && !strings.Contains(s, "\r")
	}
	any := false
	for _, w := range ws {
		if multi(w.text) {
			any = true
		}
	}
	if !any {
		return cmd, nil
	}
	var docs []Heredoc
	parts := make([]string, len(ws))
	for i, w := range ws {
		key, v, hasKey := strings.Cut(w.text, "=")
		if !hasKey {
			key, v = "", w.text
		}
		if !multi(v) || (hasKey && !plainKey(key)) {
			parts[i] = quoteArg(w.text)
			if hasKey && plainKey(key) {
				parts[i] = key + "=" + quoteArg(v)
			}
			continue
		}
		tag := freeTag(strings.ToUpper(key), v, docs)
		docs = append(docs, Heredoc{Tag: tag, Key: key, Body: v})
		if key != "" {
			parts[i] = key + "=<<" + tag
		} else {
			parts[i] = "<<" + tag
		}
	}
	return strings.Join(parts, " "), docs
}

// plainKey reports whether k can stand before '=' unquoted.
func plainKey(k string) bool {
	return k != "" && !strings.ContainsAny(k, " \t\"\\\n\r<")
}

// freeTag returns a tag based on want that no line of body is and no
// other heredoc of the command uses.
func freeTag(want, body string, docs []Heredoc) string {
	if !validTag(want) {
		want = "EOF"
	}
	used := func(t string) bool {
		for _, d := range docs {
			if d.Tag == t {
				return true
			}
		}
		return strings.Contains("\n"+body, "\n"+t+"\n")
	}
	tag := want
	for n := 2; used(tag); n++ {
		tag = fmt.Sprintf("%s_%d", want, n)
	}
	return tag
}

// splitWords splits a command line into words at spaces and tabs. A word
// may hold Go-quoted parts ("a b", key="x y") to carry spaces or escapes.
func splitWords(line string) ([]word, error) {
	var out []word
	var cur strings.Builder
	in, quoted := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			if in {
				out = append(out, word{cur.String(), quoted})
				cur.Reset()
				in, quoted = false, false
			}
		case c == '"':
			j := i + 1
			for ; j < len(line) && line[j] != '"'; j++ {
				if line[j] == '\\' {
					j++
				}
			}
			if j >= len(line) {
				return nil, fmt.Errorf("unterminated quote at column %d", i+1)
			}
			u, err := strconv.Unquote(line[i : j+1])
			if err != nil {
				return nil, fmt.Errorf("bad quoted string at column %d: %v", i+1, err)
			}
			cur.WriteString(u)
			in, quoted = true, true
			i = j
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if in {
		out = append(out, word{cur.String(), quoted})
	}
	return out, nil
}
