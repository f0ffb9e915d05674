package mutation

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// swaps maps a binary operator to its mutant and the mutant's op code.
var swaps = map[token.Token]struct {
	to   token.Token
	code string
}{
	token.EQL:  {token.NEQ, "eq-ne"},
	token.NEQ:  {token.EQL, "ne-eq"},
	token.LSS:  {token.LEQ, "lt-le"},
	token.LEQ:  {token.LSS, "le-lt"},
	token.GTR:  {token.GEQ, "gt-ge"},
	token.GEQ:  {token.GTR, "ge-gt"},
	token.ADD:  {token.SUB, "add-sub"},
	token.SUB:  {token.ADD, "sub-add"},
	token.LAND: {token.LOR, "and-or"},
	token.LOR:  {token.LAND, "or-and"},
}

// comparisons are the operators whose integer-literal operands get
// off-by-one mutants.
var comparisons = map[token.Token]bool{
	token.EQL: true, token.NEQ: true, token.LSS: true, token.LEQ: true, token.GTR: true, token.GEQ: true,
}

// Enumerate lists every mutant of one Go source file, sorted by position
// then op; file is the name mutants carry (a slash path from the module
// root). The same source always gives the same list.
func Enumerate(file string, src []byte) ([]Mutant, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	w := &walker{fset: fset, src: src, file: file}
	w.walk(f)
	sort.SliceStable(w.out, func(i, j int) bool {
		a, b := w.out[i], w.out[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Op < b.Op
	})
	return w.out, nil
}

// walker collects mutants over one file's syntax tree.
type walker struct {
	fset  *token.FileSet
	src   []byte
	file  string
	out   []Mutant
	stack []ast.Node
	skip  []span // code behind a planted bug: no mutants inside
}

type span struct{ from, to token.Pos }

func (w *walker) walk(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			w.stack = w.stack[:len(w.stack)-1]
			return true
		}
		if fd, ok := n.(*ast.FuncDecl); ok && isBugSwitch(fd) {
			return false
		}
		w.stack = append(w.stack, n)
		w.visit(n)
		return true
	})
}

func (w *walker) visit(n ast.Node) {
	switch x := n.(type) {
	case *ast.BinaryExpr:
		w.binary(x)
	case *ast.IfStmt:
		w.ifStmt(x)
	case *ast.BlockStmt:
		w.stmts(x.List)
	case *ast.CaseClause:
		w.stmts(x.Body)
	case *ast.CommClause:
		w.stmts(x.Body)
	}
}

func (w *walker) binary(x *ast.BinaryExpr) {
	if s, ok := swaps[x.Op]; ok && !(x.Op == token.ADD && concatenates(x)) {
		w.add(x.OpPos, s.code, fmt.Sprintf("%s -> %s in %s", x.Op, s.to, w.text(x)),
			edit{w.off(x.OpPos), w.off(x.OpPos) + len(x.Op.String()), s.to.String()})
	}
	if !comparisons[x.Op] {
		return
	}
	for _, side := range []ast.Expr{x.X, x.Y} {
		lit, ok := side.(*ast.BasicLit)
		if !ok || lit.Kind != token.INT {
			continue
		}
		v, err := strconv.ParseInt(lit.Value, 0, 64)
		if err != nil {
			continue
		}
		for _, d := range []struct {
			code  string
			delta int64
		}{{"inc", 1}, {"dec", -1}} {
			nv := strconv.FormatInt(v+d.delta, 10)
			if v+d.delta < 0 {
				nv = "(" + nv + ")"
			}
			w.add(lit.Pos(), d.code, fmt.Sprintf("%s -> %s in %s", lit.Value, nv, w.text(x)),
				edit{w.off(lit.Pos()), w.off(lit.End()), nv})
		}
	}
}

func (w *walker) ifStmt(x *ast.IfStmt) {
	switch {
	case requiresBug(x.Cond):
		// The body runs only with a planted bug switched on: mutating it or
		// its condition is the bug's business, not the node's.
		w.skip = append(w.skip, span{x.Cond.Pos(), x.Body.End()})
		return
	case isBugCall(unparen(notOperand(x.Cond))):
		// if !n.bug(X): negating it switches the bug on.
		return
	}
	w.add(x.Cond.Pos(), "negate", "negate: if "+w.text(x.Cond),
		edit{w.off(x.Cond.Pos()), w.off(x.Cond.Pos()), "!("},
		edit{w.off(x.Cond.End()), w.off(x.Cond.End()), ")"})
}

// stmts adds the removed-statement mutants of a statement list.
func (w *walker) stmts(list []ast.Stmt) {
	for _, s := range list {
		if x, ok := s.(*ast.IfStmt); ok && bugGuard(x) {
			// if !n.bug(X) || ... { return }: what follows runs only with
			// the bug on, and the guard's mutants switch it on.
			w.skip = append(w.skip, span{x.Pos(), list[len(list)-1].End()})
			break
		}
	}
	for _, s := range list {
		var what string
		switch x := s.(type) {
		case *ast.ExprStmt:
			c, ok := x.X.(*ast.CallExpr)
			if !ok || isLogCall(c) {
				continue
			}
			what = "call"
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE {
				continue // the names it declares would go undeclared
			}
			what = "assignment"
		case *ast.IncDecStmt:
			what = "assignment"
		case *ast.ReturnStmt:
			if !w.removableReturn(x) {
				continue
			}
			what = "return"
		default:
			continue
		}
		w.add(s.Pos(), "remove", "remove "+what+": "+w.text(s),
			edit{w.off(s.Pos()), w.off(s.End()), keepNewlines(w.src[w.off(s.Pos()):w.off(s.End())])})
	}
}

// removableReturn reports whether removing r makes a mutant worth trying:
// a return of a non-nil error from a function whose last result is an
// error, or a bare early return from a function without results (the last
// statement of the function's body returns anyway).
func (w *walker) removableReturn(r *ast.ReturnStmt) bool {
	ft, body := w.enclosingFunc()
	if ft == nil {
		return false
	}
	if len(r.Results) == 0 {
		if ft.Results != nil && len(ft.Results.List) > 0 {
			return false // named results: a bare return still returns values
		}
		return len(body.List) == 0 || body.List[len(body.List)-1] != r
	}
	res := ft.Results.List
	if id, ok := res[len(res)-1].Type.(*ast.Ident); !ok || id.Name != "error" {
		return false
	}
	last, ok := r.Results[len(r.Results)-1].(*ast.Ident)
	return !ok || last.Name != "nil"
}

// enclosingFunc is the type and body of the innermost function around the
// node being visited.
func (w *walker) enclosingFunc() (*ast.FuncType, *ast.BlockStmt) {
	for i := len(w.stack) - 1; i >= 0; i-- {
		switch f := w.stack[i].(type) {
		case *ast.FuncDecl:
			return f.Type, f.Body
		case *ast.FuncLit:
			return f.Type, f.Body
		}
	}
	return nil, nil
}

func (w *walker) add(pos token.Pos, op, desc string, edits ...edit) {
	for _, s := range w.skip {
		if pos >= s.from && pos < s.to {
			return
		}
	}
	p := w.fset.Position(pos)
	w.out = append(w.out, Mutant{File: w.file, Line: p.Line, Col: p.Column, Op: op, Desc: desc, edits: edits})
}

func (w *walker) off(p token.Pos) int { return w.fset.Position(p).Offset }

// text is n's source on one line, shortened to a readable length.
func (w *walker) text(n ast.Node) string {
	s := strings.Join(strings.Fields(string(w.src[w.off(n.Pos()):w.off(n.End())])), " ")
	const max = 60
	if len(s) > max {
		s = s[:max-3] + "..."
	}
	return s
}

// keepNewlines is b blanked out except for its line breaks, so removing
// it moves no line.
func keepNewlines(b []byte) string {
	return strings.Repeat("\n", strings.Count(string(b), "\n"))
}

// isLogCall reports whether c is a log line, x.Logf(...): no checker
// reads log text (unit tests do), so removing one is not a bug a sweep
// should be asked to find.
func isLogCall(c *ast.CallExpr) bool {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Logf"
}

// isBugSwitch reports whether fd is the node's planted-bug switch,
// func (n *Node) bug(name string) bool.
func isBugSwitch(fd *ast.FuncDecl) bool {
	return fd.Recv != nil && fd.Name.Name == "bug"
}

// isBugCall reports whether e is a call x.bug(...).
func isBugCall(e ast.Expr) bool {
	c, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := c.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "bug"
}

// requiresBug reports whether e can be true only with a planted bug on:
// a bug call, or a conjunction with one.
func requiresBug(e ast.Expr) bool {
	e = unparen(e)
	if isBugCall(e) {
		return true
	}
	b, ok := e.(*ast.BinaryExpr)
	return ok && b.Op == token.LAND && (requiresBug(b.X) || requiresBug(b.Y))
}

// bugGuard reports whether x is if !n.bug(X) || ... { ... return }: an
// early return unless a planted bug is on.
func bugGuard(x *ast.IfStmt) bool {
	if x.Else != nil || len(x.Body.List) == 0 {
		return false
	}
	if _, ok := x.Body.List[len(x.Body.List)-1].(*ast.ReturnStmt); !ok {
		return false
	}
	var negatedBug func(e ast.Expr) bool
	negatedBug = func(e ast.Expr) bool {
		e = unparen(e)
		if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.LOR {
			return negatedBug(b.X) || negatedBug(b.Y)
		}
		return isBugCall(unparen(notOperand(e)))
	}
	return negatedBug(x.Cond)
}

// concatenates reports whether a + chain has a string literal operand: a
// concatenation, which - would not compile.
func concatenates(e ast.Expr) bool {
	switch x := unparen(e).(type) {
	case *ast.BasicLit:
		return x.Kind == token.STRING
	case *ast.BinaryExpr:
		return x.Op == token.ADD && (concatenates(x.X) || concatenates(x.Y))
	}
	return false
}

// notOperand is x for !x, else nil.
func notOperand(e ast.Expr) ast.Expr {
	if u, ok := unparen(e).(*ast.UnaryExpr); ok && u.Op == token.NOT {
		return u.X
	}
	return nil
}

func unparen(e ast.Expr) ast.Expr {
	for {
		p, ok := e.(*ast.ParenExpr)
		if !ok {
			return e
		}
		e = p.X
	}
}
