package cluster

import (
	"bytes"
	"strconv"
)

// plantLooseAOF sometimes (a tenth of the restarts of a node with
// appendonly yes whose manifest lists incr files) rewrites the first
// command of the last incr file in one of looseAOFForms, each a form
// Redis 7.0.15 loads as the command it was: loadSingleAppendOnlyFile
// reads the argument count with atoi and each length with strtol, whole
// lines with fgets, and discards the two bytes after an argument
// unchecked (TestLooseAOFLoadsOnRedis runs every form on redis-server).
// So the node must load the file as before: a refusal to start is a
// violation (checker.CheckRestartLoads), and the data is the same for the
// durability check. Nothing is noted: it is not a fault.
func (h *Cluster) plantLooseAOF(s *simNode) {
	r := h.w.Rand("restart/aof-loose-crlf")
	if !s.cfg.AppendOnly || !r.Chance(0.1) {
		return
	}
	form := looseAOFForms[r.IntN(len(looseAOFForms))]
	s.fs.WithoutInjectors(func() { h.writeLooseAOF(s, form) })
}

// aofHead is the first command of an incr file taken apart: its
// argument count's digits, its first argument's length digits and
// bytes, and what follows that argument's CRLF.
type aofHead struct {
	count, length, arg, rest []byte
}

// looseAOFForm is a rewrite of a file's first command: its name in the
// run's log, and the rewritten file.
type looseAOFForm struct {
	name  string
	write func(h aofHead) []byte
}

// apply rewrites the first command of data, if data starts with a whole
// "*<n>\r\n$<len>\r\n<arg>\r\n".
func (f looseAOFForm) apply(data []byte) ([]byte, bool) {
	head, ok := splitAOFHead(data)
	if !ok {
		return nil, false
	}
	return f.write(head), true
}

// looseAOFForms are the rewrites plantLooseAOF makes of a file's first
// command.
var looseAOFForms = []looseAOFForm{
	{"XX for the CRLF after the first argument", func(h aofHead) []byte { return h.build("*%\r\n", "$%\r\n", "XX") }},
	{"an LF-only count line", func(h aofHead) []byte { return h.build("*%\n", "$%\r\n", "\r\n") }},
	{"a space before the count", func(h aofHead) []byte { return h.build("* %\r\n", "$%\r\n", "\r\n") }},
	{"a plus sign before the count", func(h aofHead) []byte { return h.build("*+%\r\n", "$%\r\n", "\r\n") }},
	{"junk after the count", func(h aofHead) []byte { return h.build("*%junk\r\n", "$%\r\n", "\r\n") }},
	{"an LF-only length line", func(h aofHead) []byte { return h.build("*%\r\n", "$%\n", "\r\n") }},
	{"a zero before the length", func(h aofHead) []byte { return h.build("*%\r\n", "$0%\r\n", "\r\n") }},
	{"junk after the length", func(h aofHead) []byte { return h.build("*%\r\n", "$% x\r\n", "\r\n") }},
}

// build writes the head with its count and length lines in the given
// forms ('%' stands for the digits) and sep after the first argument.
func (h aofHead) build(count, length, sep string) []byte {
	var out []byte
	out = append(out, bytes.Replace([]byte(count), []byte("%"), h.count, 1)...)
	out = append(out, bytes.Replace([]byte(length), []byte("%"), h.length, 1)...)
	out = append(out, h.arg...)
	out = append(out, sep...)
	return append(out, h.rest...)
}

// writeLooseAOF does plantLooseAOF's rewrite, if the last incr file
// starts with a whole "*<n>\r\n$<len>\r\n<arg>\r\n". Run it without s's
// injectors.
func (h *Cluster) writeLooseAOF(s *simNode, form looseAOFForm) {
	last, name, ok := lastIncr(s)
	if !ok {
		return
	}
	data, err := s.fs.ReadFile(last)
	if err != nil {
		return
	}
	out, ok := form.apply(data)
	if !ok || writeSynced(s.fs, last, out) != nil {
		return
	}
	h.w.Log().S("fault ").S(s.name).S(" ").S(form.name).S(" in the first command of ").S(name).End()
}

// splitAOFHead takes apart the first command in data
// ("*<n>\r\n$<len>\r\n<arg>\r\n..."), if data starts with a whole one.
func splitAOFHead(data []byte) (aofHead, bool) {
	count, rest, ok := digitsLine(data, '*')
	if !ok {
		return aofHead{}, false
	}
	length, rest, ok := digitsLine(rest, '$')
	if !ok {
		return aofHead{}, false
	}
	size, err := strconv.Atoi(string(length))
	if err != nil || size > 1<<20 || size+2 > len(rest) || rest[size] != '\r' || rest[size+1] != '\n' {
		return aofHead{}, false
	}
	return aofHead{count: count, length: length, arg: rest[:size], rest: rest[size+2:]}, true
}

// digitsLine reads "<c><digits>\r\n" at the start of data: the digits and
// what follows.
func digitsLine(data []byte, c byte) (digits, rest []byte, ok bool) {
	i := bytes.Index(data, []byte("\r\n"))
	if len(data) == 0 || data[0] != c || i < 2 {
		return nil, nil, false
	}
	for _, d := range data[1:i] {
		if d < '0' || d > '9' {
			return nil, nil, false
		}
	}
	return data[1:i], data[i+2:], true
}
