package scenario

import (
	"fmt"
	"strconv"
	"strings"
)

// Script is a parsed scenario script, in the spirit of etcd raft's
// datadriven interaction tests: each command line is followed by a line
// `----` and the transcript it is expected to produce, which ends at the
// first blank line. A transcript that itself holds blank lines is written
// between `----`/`----` and `----`/`----` lines. Lines starting with # and
// blank lines between blocks are comments.
//
//	# the replica sees the master's write
//	set n1 k v
//	----
//	OK
//
// A multi-line argument is a heredoc: the word <<TAG (or name=<<TAG) in the
// command stands for the lines that follow the command up to a line TAG
// (each with its newline), in the order the words come:
//
//	simulate seed=3 faults=<<FAULTS workload=<<WORKLOAD
//	seed 3
//	topology replicas=1 chained=0 clients=1
//	FAULTS
//	c1 SET k1 5
//	WORKLOAD
//	----
//	verdict pass
//
// A Go-quoted word with \n escapes means the same.
type Script struct {
	Name   string
	Blocks []ScriptBlock
	// Trailer is the text after the last block (comments), verbatim.
	Trailer string
}

// ScriptBlock is one command with its expected transcript.
type ScriptBlock struct {
	// Pre is the comment and blank lines before the command, verbatim.
	Pre  string
	Line int // line of the command, from 1
	// Command is the command line as written; Heredocs the bodies of its
	// <<TAG words.
	Command  string
	Heredocs []Heredoc
	Expected string
}

// Heredoc is the body of a <<TAG word of a command.
type Heredoc struct {
	// Tag names it; Key is the option it is the value of ("faults" for
	// faults=<<TAG, "" for a bare <<TAG).
	Tag, Key string
	// Body is its lines, each with its newline.
	Body string
	// Line is the line of its first body line, from 1.
	Line int
}

const scriptSep = "----"

// ParseScript parses a script; name is used in error messages.
func ParseScript(name, text string) (*Script, error) {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, "\r")
	}
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1]
	}
	s := &Script{Name: name}
	var pre strings.Builder
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" {
			pre.WriteString("\n")
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(l), "#") {
			pre.WriteString(l + "\n")
			continue
		}
		if strings.TrimSpace(l) == scriptSep {
			return nil, fmt.Errorf("%s:%d: %s without a command before it", name, i+1, scriptSep)
		}
		b := ScriptBlock{Pre: pre.String(), Line: i + 1, Command: strings.TrimSpace(l)}
		pre.Reset()
		docs, err := heredocMarks(b.Command)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, b.Line, err)
		}
		for _, d := range docs {
			d.Line = i + 2
			var body strings.Builder
			for i++; ; i++ {
				if i >= len(lines) {
					return nil, fmt.Errorf("%s:%d: <<%s is never closed by a line %s", name, b.Line, d.Tag, d.Tag)
				}
				if lines[i] == d.Tag {
					break
				}
				body.WriteString(lines[i] + "\n")
			}
			d.Body = body.String()
			b.Heredocs = append(b.Heredocs, d)
		}
		i++
		if i >= len(lines) || lines[i] != scriptSep {
			return nil, fmt.Errorf("%s:%d: command %q must be followed by a line %q", name, b.Line, b.Command, scriptSep)
		}
		var out []string
		if i+1 < len(lines) && lines[i+1] == scriptSep {
			// Double-separator form: the transcript runs to ----/----.
			i += 2
			for ; ; i++ {
				if i+1 >= len(lines) {
					return nil, fmt.Errorf("%s:%d: transcript of %q opened with %s twice is never closed with %s twice", name, b.Line, b.Command, scriptSep, scriptSep)
				}
				if lines[i] == scriptSep && lines[i+1] == scriptSep {
					i++
					break
				}
				out = append(out, lines[i])
			}
		} else {
			for i+1 < len(lines) && lines[i+1] != "" {
				i++
				out = append(out, lines[i])
			}
		}
		b.Expected = strings.Join(out, "\n")
		s.Blocks = append(s.Blocks, b)
	}
	s.Trailer = pre.String()
	return s, nil
}

// Format renders the script with the given transcripts in place of the
// expected ones (nil: the expected ones), keeping comments as they were.
func (s *Script) Format(outputs []string) string {
	var b strings.Builder
	for i, blk := range s.Blocks {
		out := blk.Expected
		if outputs != nil {
			out = outputs[i]
		}
		pre := blk.Pre
		if i > 0 && !strings.HasPrefix(pre, "\n") {
			pre = "\n" + pre // a transcript ends at a blank line
		}
		b.WriteString(pre)
		cmd, docs := blk.Command, blk.Heredocs
		if len(docs) == 0 {
			cmd, docs = toHeredocs(cmd)
		}
		b.WriteString(cmd + "\n")
		for _, d := range docs {
			b.WriteString(d.Body + d.Tag + "\n")
		}
		if hasBlankLine(out) || strings.HasPrefix(out+"\n", scriptSep+"\n") {
			b.WriteString(scriptSep + "\n" + scriptSep + "\n" + out + "\n" + scriptSep + "\n" + scriptSep + "\n")
		} else {
			b.WriteString(scriptSep + "\n")
			if out != "" {
				b.WriteString(out + "\n")
			}
		}
	}
	tr := s.Trailer
	if len(s.Blocks) > 0 && tr != "" && !strings.HasPrefix(tr, "\n") {
		tr = "\n" + tr
	}
	b.WriteString(tr)
	return b.String()
}

// hasBlankLine reports whether s has an empty line, which would end a
// transcript in the single-separator form.
func hasBlankLine(s string) bool {
	return s != "" && (strings.Contains("\n"+s+"\n", "\n\n"))
}

// SplitCommand splits a script command line into its words (Go-quoted
// words may hold spaces and newlines, as faults=SCHEDULE does).
func SplitCommand(line string) ([]string, error) { return splitArgs(line) }

// splitArgs is splitWords without the quoted marks.
func splitArgs(line string) ([]string, error) {
	ws, err := splitWords(line)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.text
	}
	return out, nil
}

// quoteArg quotes a word for a command line when it needs it (a <<
// would read as a heredoc mark).
func quoteArg(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\"\\\n\r") || strings.Contains(s, "<<") {
		return strconv.Quote(s)
	}
	return s
}
