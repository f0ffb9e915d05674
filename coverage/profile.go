package coverage

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Block is one basic block of a coverage profile: a source range, the
// statements it holds and how often (or, in set mode, whether) it ran.
type Block struct {
	File      string // import path of the package + "/" + file name
	StartLine int
	StartCol  int
	EndLine   int
	EndCol    int
	Stmts     int
	Count     int
}

// blockKey identifies a block across the lines of a profile.
type blockKey struct {
	file                 string
	sl, sc, el, ec, stmt int
}

// ParseTextFmt reads a profile in the text format `go tool covdata
// textfmt` (and `go test -coverprofile`) writes. A block listed more than
// once (by several processes) is merged: its counts add up. Blocks come
// back sorted by file and position.
func ParseTextFmt(r io.Reader) ([]Block, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	merged := map[blockKey]int{}
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		if line == 1 && strings.HasPrefix(text, "mode:") {
			continue
		}
		b, err := parseBlock(text)
		if err != nil {
			return nil, fmt.Errorf("coverage profile line %d: %w", line, err)
		}
		k := blockKey{b.File, b.StartLine, b.StartCol, b.EndLine, b.EndCol, b.Stmts}
		merged[k] += b.Count
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("coverage profile: %w", err)
	}
	out := make([]Block, 0, len(merged))
	for k, n := range merged {
		out = append(out, Block{File: k.file, StartLine: k.sl, StartCol: k.sc, EndLine: k.el, EndCol: k.ec, Stmts: k.stmt, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.StartLine != b.StartLine {
			return a.StartLine < b.StartLine
		}
		if a.StartCol != b.StartCol {
			return a.StartCol < b.StartCol
		}
		if a.EndLine != b.EndLine {
			return a.EndLine < b.EndLine
		}
		return a.EndCol < b.EndCol
	})
	return out, nil
}

// parseBlock parses "path/file.go:12.3,15.4 2 1".
func parseBlock(s string) (Block, error) {
	colon := strings.LastIndex(s, ":")
	if colon < 0 {
		return Block{}, fmt.Errorf("%q: no file:range", s)
	}
	var b Block
	b.File = s[:colon]
	fields := strings.Fields(s[colon+1:])
	if len(fields) != 3 {
		return Block{}, fmt.Errorf("%q: want range, statements and count", s)
	}
	from, to, ok := strings.Cut(fields[0], ",")
	if !ok {
		return Block{}, fmt.Errorf("%q: range %q has no comma", s, fields[0])
	}
	var err error
	if b.StartLine, b.StartCol, err = parsePos(from); err != nil {
		return Block{}, fmt.Errorf("%q: %w", s, err)
	}
	if b.EndLine, b.EndCol, err = parsePos(to); err != nil {
		return Block{}, fmt.Errorf("%q: %w", s, err)
	}
	if b.Stmts, err = strconv.Atoi(fields[1]); err != nil || b.Stmts < 0 {
		return Block{}, fmt.Errorf("%q: bad statement count %q", s, fields[1])
	}
	if b.Count, err = strconv.Atoi(fields[2]); err != nil || b.Count < 0 {
		return Block{}, fmt.Errorf("%q: bad count %q", s, fields[2])
	}
	return b, nil
}

func parsePos(s string) (line, col int, err error) {
	l, c, ok := strings.Cut(s, ".")
	if !ok {
		return 0, 0, fmt.Errorf("position %q is not line.col", s)
	}
	line, err1 := strconv.Atoi(l)
	col, err2 := strconv.Atoi(c)
	if err1 != nil || err2 != nil || line < 1 || col < 1 {
		return 0, 0, fmt.Errorf("position %q is not line.col", s)
	}
	return line, col, nil
}
