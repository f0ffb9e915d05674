package coverage

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Exclusion names code the simulation cannot reach: a whole file, or one
// function or method in it, with the reason.
type Exclusion struct {
	File   string // slash path from the module root, e.g. "node/configfile.go"
	Func   string // "" for the whole file; "Name" or "Type.Name" for a method
	Reason string
}

// String is the exclusion as written in the list: file[:func].
func (e Exclusion) String() string {
	if e.Func == "" {
		return e.File
	}
	return e.File + ":" + e.Func
}

// ParseUnreachable reads an exclusion list: one "file[:func] reason" a
// line, '#' starts a comment. Every entry needs a reason.
func ParseUnreachable(r io.Reader) ([]Exclusion, error) {
	var out []Exclusion
	sc := bufio.NewScanner(r)
	line := 0
	seen := map[string]bool{}
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		spec, reason, _ := strings.Cut(text, " ")
		if i := strings.IndexByte(spec, '\t'); i >= 0 {
			spec, reason = spec[:i], spec[i+1:]+" "+reason
		}
		reason = strings.TrimSpace(reason)
		if reason == "" {
			return nil, fmt.Errorf("unreachable list line %d: %q has no reason", line, spec)
		}
		file, fn, _ := strings.Cut(spec, ":")
		if !strings.HasSuffix(file, ".go") {
			return nil, fmt.Errorf("unreachable list line %d: %q is not a .go file", line, file)
		}
		e := Exclusion{File: file, Func: fn, Reason: reason}
		if seen[e.String()] {
			return nil, fmt.Errorf("unreachable list line %d: %s listed twice", line, e)
		}
		seen[e.String()] = true
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("unreachable list: %w", err)
	}
	return out, nil
}

// LineRange is an inclusive range of source lines.
type LineRange struct{ From, To int }

// Excluded is a resolved exclusion list: per file, the line ranges that do
// not count as reachable (nil ranges with a present key = the whole file).
type Excluded map[string][]LineRange

// Contains reports whether a line of file lies in excluded code.
func (x Excluded) Contains(file string, line int) bool {
	return x.contains(file, Block{StartLine: line, EndLine: line})
}

// contains reports whether the block lies in excluded code.
func (x Excluded) contains(file string, b Block) bool {
	rs, ok := x[file]
	if !ok {
		return false
	}
	if rs == nil {
		return true
	}
	for _, r := range rs {
		if b.StartLine >= r.From && b.EndLine <= r.To {
			return true
		}
	}
	return false
}

// Resolve finds each exclusion in the source under root (the module
// root): the file must exist and the function must be declared in it, so
// the list cannot silently go stale.
func Resolve(root string, list []Exclusion) (Excluded, error) {
	out := Excluded{}
	parsed := map[string]*ast.File{}
	fset := token.NewFileSet()
	for _, e := range list {
		path := filepath.Join(root, filepath.FromSlash(e.File))
		if e.Func == "" {
			if _, err := os.Stat(path); err != nil {
				return nil, fmt.Errorf("unreachable %s: %w", e, err)
			}
			out[e.File] = nil
			continue
		}
		f, ok := parsed[e.File]
		if !ok {
			var err error
			if f, err = parser.ParseFile(fset, path, nil, parser.SkipObjectResolution); err != nil {
				return nil, fmt.Errorf("unreachable %s: %w", e, err)
			}
			parsed[e.File] = f
		}
		r, ok := findFunc(fset, f, e.Func)
		if !ok {
			return nil, fmt.Errorf("unreachable %s: no function %s in %s", e, e.Func, e.File)
		}
		if rs, whole := out[e.File]; whole && rs == nil {
			continue
		}
		out[e.File] = append(out[e.File], r)
	}
	return out, nil
}

// findFunc finds "Name" or "Type.Name" among the file's declarations.
func findFunc(fset *token.FileSet, f *ast.File, spec string) (LineRange, bool) {
	recv, name, isMethod := strings.Cut(spec, ".")
	if !isMethod {
		name, recv = recv, ""
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Name.Name != name || receiverName(fd) != recv {
			continue
		}
		return LineRange{fset.Position(fd.Pos()).Line, fset.Position(fd.End()).Line}, true
	}
	return LineRange{}, false
}

// receiverName is the receiver's type name without '*' or type
// parameters, "" for a function.
func receiverName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	t := fd.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}
