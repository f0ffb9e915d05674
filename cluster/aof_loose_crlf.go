package cluster

import "bytes"

// plantLooseCRLF sometimes (a tenth of the restarts of a node with
// appendonly yes whose manifest lists incr files) overwrites the CRLF
// after the first argument of the first command in the last incr file
// with "XX". Redis 7.0.15 reads and discards those two bytes unchecked
// (loadSingleAppendOnlyFile's "discard CRLF"; redis-server loads
// "$1\r\nvXX" as "v"), so the node must load the file as before: a
// refusal to start is a violation (checker.CheckRestartLoads), and the
// data is the same for the durability check. Nothing is noted: it is
// not a fault.
func (h *Cluster) plantLooseCRLF(s *simNode) {
	r := h.w.Rand("restart/aof-loose-crlf")
	if !s.cfg.AppendOnly || !r.Chance(0.1) {
		return
	}
	s.fs.WithoutInjectors(func() { h.writeLooseCRLF(s) })
}

// writeLooseCRLF does plantLooseCRLF's overwrite, if the last incr file
// starts with a whole "*<n>\r\n$<len>\r\n<arg>\r\n". Run it without s's
// injectors.
func (h *Cluster) writeLooseCRLF(s *simNode) {
	last, name, ok := lastIncr(s)
	if !ok {
		return
	}
	data, err := s.fs.ReadFile(last)
	if err != nil {
		return
	}
	at := firstArgEnd(data)
	if at < 0 {
		return
	}
	out := append([]byte(nil), data...)
	out[at], out[at+1] = 'X', 'X'
	if writeSynced(s.fs, last, out) != nil {
		return
	}
	h.w.Log().S("fault ").S(s.name).S(" loose CRLF after the first argument of ").S(name).End()
}

// firstArgEnd is the offset of the CRLF after the first argument of the
// first command in data ("*<n>\r\n$<len>\r\n<arg>\r\n"), or -1 if data
// does not start with a whole one.
func firstArgEnd(data []byte) int {
	if len(data) == 0 || data[0] != '*' {
		return -1
	}
	i := bytes.Index(data, []byte("\r\n"))
	if i < 0 || i+2 >= len(data) || data[i+2] != '$' {
		return -1
	}
	j := bytes.Index(data[i+2:], []byte("\r\n"))
	if j < 0 {
		return -1
	}
	size := 0
	for _, c := range data[i+3 : i+2+j] {
		if c < '0' || c > '9' || size > 1<<20 {
			return -1
		}
		size = size*10 + int(c-'0')
	}
	end := i + 2 + j + 2 + size
	if j == 1 || end+2 > len(data) || data[end] != '\r' || data[end+1] != '\n' {
		return -1
	}
	return end
}
