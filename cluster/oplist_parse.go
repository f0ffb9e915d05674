package cluster

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/fault"
)

// Limits on an operation list's text.
const (
	// maxValueLen bounds one value ("x"*N included).
	maxValueLen = 1 << 20
	// maxSetRange bounds SETRANGE's offset (the node allocates up to it).
	maxSetRange = 1 << 20
	// maxTTLms bounds PX, EX and PEXPIRE times (about 31 years).
	maxTTLms = 1_000_000_000_000
)

// ParseError is a mistake in an operation list's text, at a line.
type ParseError struct {
	// Name is the file (or other source) the text came from; Line counts
	// from 1.
	Name string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return e.Name + ": " + e.Msg
	}
	return e.Name + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
}

func opErrorf(format string, args ...any) error {
	return fmt.Errorf("workload: "+format, args...)
}

// ParseOps reads an operation list in the text form OpList.Format writes;
// name is used in errors, which say file:line. Blank lines and lines
// starting with '#' are ignored. Each command is checked against the form
// the workload sends (ParseOps(l.Format()) is l), so a typo is an error,
// never a different operation.
func ParseOps(name, text string) (*OpList, error) {
	l := &OpList{Ops: []ClientOp{}}
	dbLines := map[string]int{}
	for i, raw := range strings.Split(text, "\n") {
		line := i + 1
		raw = strings.TrimRight(raw, "\r")
		if t := strings.TrimLeft(raw, " \t"); t == "" || t[0] == '#' {
			continue
		}
		fail := func(format string, args ...any) (*OpList, error) {
			return nil, &ParseError{Name: name, Line: line, Msg: fmt.Sprintf(format, args...)}
		}
		toks, err := tokenize(raw)
		if err != nil {
			return fail("%v", err)
		}
		if toks[0].text == "client" && !toks[0].sep {
			c, db, auth, err := parseClientLine(toks[1:])
			if err != nil {
				return fail("%v", err)
			}
			if first, dup := dbLines[c]; dup {
				return fail("client %s: second client line (first on line %d)", c, first)
			}
			dbLines[c] = line
			if db != 0 {
				if l.DBs == nil {
					l.DBs = map[string]int{}
				}
				l.DBs[c] = db
			}
			if auth != nil {
				if l.Auth == nil {
					l.Auth = map[string]AuthClient{}
				}
				l.Auth[c] = *auth
			}
			continue
		}
		o, err := parseOpLine(toks)
		if err != nil {
			return fail("%v", err)
		}
		l.Ops = append(l.Ops, o)
	}
	return l, nil
}

// token is a word of a line, or (sep) the ';' between a transaction's
// commands.
type token struct {
	text string
	sep  bool
}

// tokenize splits a line at spaces and tabs into words: bare, Go-quoted
// ("a b", "\x00"), or a quoted string repeated ("7"*1024); a bare ';' is a
// separator.
func tokenize(line string) ([]token, error) {
	var out []token
	for i := 0; i < len(line); {
		c := line[i]
		if c == ' ' || c == '\t' {
			i++
			continue
		}
		if c != '"' {
			j := i
			for j < len(line) && line[j] != ' ' && line[j] != '\t' {
				if line[j] == '"' {
					return nil, fmt.Errorf("column %d: a quote inside a word (quote the whole word)", j+1)
				}
				j++
			}
			w := line[i:j]
			out = append(out, token{text: w, sep: w == ";"})
			i = j
			continue
		}
		j := i + 1
		for ; j < len(line) && line[j] != '"'; j++ {
			if line[j] == '\\' {
				j++
			}
		}
		if j >= len(line) {
			return nil, fmt.Errorf("column %d: unterminated quote", i+1)
		}
		w, err := strconv.Unquote(line[i : j+1])
		if err != nil {
			return nil, fmt.Errorf("column %d: bad quoted string: %v", i+1, err)
		}
		j++
		if j < len(line) && line[j] == '*' {
			k := j + 1
			for k < len(line) && line[k] >= '0' && line[k] <= '9' {
				k++
			}
			n, err := strconv.Atoi(line[j+1 : k])
			switch {
			case err != nil || n < 1:
				return nil, fmt.Errorf("column %d: want a count of at least 1 after '*'", j+1)
			case n > maxValueLen || len(w)*n > maxValueLen:
				return nil, fmt.Errorf("column %d: a value of more than %d bytes", i+1, maxValueLen)
			}
			w = strings.Repeat(w, n)
			j = k
		}
		if j < len(line) && line[j] != ' ' && line[j] != '\t' {
			return nil, fmt.Errorf("column %d: want a space after the quoted word", j+1)
		}
		if len(w) > maxValueLen {
			return nil, fmt.Errorf("column %d: a value of more than %d bytes", i+1, maxValueLen)
		}
		out = append(out, token{text: w})
		i = j
	}
	return out, nil
}

// validClient reports whether s can name a client: a letter, then letters,
// digits, '-' or '_'; not a word of the list's syntax.
func validClient(s string) bool {
	if s == "" || s == "at" || s == "client" || !isLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && !(c >= '0' && c <= '9') && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// parseClientLine parses the rest of "client NAME db=N" or "client NAME
// auth=MODE redial=N".
func parseClientLine(toks []token) (string, int, *AuthClient, error) {
	const form = "want: client NAME db=N, or client NAME auth=MODE redial=N"
	if len(toks) < 2 || toks[0].sep || !validClient(toks[0].text) {
		return "", 0, nil, fmt.Errorf(form)
	}
	name := toks[0].text
	num := func(t token, key string, hi int) (int, bool) {
		v, ok := strings.CutPrefix(t.text, key+"=")
		n, err := strconv.Atoi(v)
		return n, ok && !t.sep && err == nil && strconv.Itoa(n) == v && n >= 0 && n <= hi
	}
	if len(toks) == 2 && !strings.HasPrefix(toks[1].text, "auth=") {
		n, ok := num(toks[1], "db", 15)
		if !ok {
			return "", 0, nil, fmt.Errorf("client %s: want db=N with N in 0..15, got %q", name, toks[1].text)
		}
		return name, n, nil, nil
	}
	mode, ok := strings.CutPrefix(toks[1].text, "auth=")
	if len(toks) != 3 || toks[1].sep || !ok {
		return "", 0, nil, fmt.Errorf(form)
	}
	if !slices.Contains(authModeNames[:], mode) {
		return "", 0, nil, fmt.Errorf("client %s: auth=%s is not one of %s", name, mode, strings.Join(authModeNames[:], " "))
	}
	redial, ok := num(toks[2], "redial", maxRedial)
	if !ok || redial < 1 {
		return "", 0, nil, fmt.Errorf("client %s: want redial=N with N in 1..%d, got %q", name, maxRedial, toks[2].text)
	}
	return name, 0, &AuthClient{Mode: mode, Redial: redial}, nil
}

// parseOpLine parses "[at SECONDS] CLIENT [reply-off|reply-skip|reply-rewrite] [rt|pair] COMMAND"
// (reply-off and reply-skip: the command is sent with CLIENT REPLY OFF or
// SKIP; reply-rewrite: with replies off and a BGREWRITEAOF after it,
// checker.Op.Quiet).
func parseOpLine(toks []token) (ClientOp, error) {
	var o ClientOp
	if toks[0].text == "at" && !toks[0].sep {
		if len(toks) < 2 {
			return o, fmt.Errorf("want: at SECONDS CLIENT COMMAND")
		}
		at, err := fault.ParseSeconds(toks[1].text, false)
		if err != nil {
			return o, err
		}
		o.At = at
		toks = toks[2:]
	}
	if len(toks) == 0 || toks[0].sep || !validClient(toks[0].text) {
		return o, fmt.Errorf("want a client name (a letter, then letters, digits, - or _) before the command")
	}
	o.Client = toks[0].text
	toks = toks[1:]
	quiet := ""
	if len(toks) > 0 && !toks[0].sep && (toks[0].text == "reply-off" || toks[0].text == "reply-skip" || toks[0].text == "reply-rewrite") {
		quiet, toks = strings.ToUpper(strings.TrimPrefix(toks[0].text, "reply-")), toks[1:]
	}
	tag := ""
	if len(toks) > 0 && (toks[0].text == "rt" || toks[0].text == "pair" || isWatchTag(toks[0].text)) && !toks[0].sep {
		tag, toks = toks[0].text, toks[1:]
	}
	if len(toks) == 0 {
		return o, fmt.Errorf("client %s: no command", o.Client)
	}
	hasSep := slices.ContainsFunc(toks, func(t token) bool { return t.sep })
	if !hasSep {
		if tag != "" {
			return o, fmt.Errorf("%q marks a transaction: want %s MULTI ; ... ; EXEC", tag, tag)
		}
		words := make([]string, len(toks))
		for i, t := range toks {
			words[i] = t.text
		}
		op, err := parseCommand(words, false)
		op.Quiet = quiet
		o.Op = op
		return o, err
	}
	if quiet != "" {
		return o, fmt.Errorf("client %s: reply-%s marks one command, not a transaction", o.Client, strings.ToLower(quiet))
	}
	op, err := parseTransaction(toks, tag)
	o.Op = op
	return o, err
}

// parseTransaction parses MULTI ; command ; ... ; EXEC.
func parseTransaction(toks []token, tag string) (checker.Op, error) {
	var parts [][]string
	cur := []string{}
	for _, t := range toks {
		if t.sep {
			parts = append(parts, cur)
			cur = []string{}
			continue
		}
		cur = append(cur, t.text)
	}
	parts = append(parts, cur)
	for i, p := range parts {
		if len(p) == 0 {
			return checker.Op{}, fmt.Errorf("transaction: no command at position %d (two ';' in a row, or one at an end)", i+1)
		}
	}
	if isWatchTag(tag) {
		return parseWatch(parts, tag)
	}
	last := parts[len(parts)-1]
	discard := slices.Equal(last, []string{"DISCARD"})
	if !slices.Equal(parts[0], []string{"MULTI"}) || !(slices.Equal(last, []string{"EXEC"}) || discard) || len(parts) < 3 {
		return checker.Op{}, fmt.Errorf("a transaction is MULTI ; COMMAND ; ... ; EXEC or DISCARD (';' separates a transaction's commands)")
	}
	if discard && tag == "pair" {
		return checker.Op{}, fmt.Errorf("pair: want pair MULTI ; SET KEY VALUE ; SET KEY VALUE ; EXEC")
	}
	cmds := parts[1 : len(parts)-1]
	if tag == "pair" {
		if len(cmds) != 2 || len(cmds[0]) != 3 || len(cmds[1]) != 3 || cmds[0][0] != "SET" || cmds[1][0] != "SET" {
			return checker.Op{}, fmt.Errorf("pair: want pair MULTI ; SET KEY VALUE ; SET KEY VALUE ; EXEC")
		}
		return checker.Op{Kind: checker.OpMulti, Key: cmds[0][1], Value: cmds[0][2], Key2: cmds[1][1], Value2: cmds[1][2]}, nil
	}
	op := checker.Op{Kind: checker.OpTx, Args: []string{"MULTI"}, Discard: discard}
	if tag == "rt" {
		op.Mode = "RT"
	}
	for _, words := range cmds {
		sub, err := parseCommand(words, true)
		if err != nil {
			return checker.Op{}, fmt.Errorf("transaction: %v", err)
		}
		op.Sub = append(op.Sub, sub)
	}
	return op, nil
}

// txCommands are the commands a transaction may hold (those the
// transaction checker models).
const txCommands = "SET KEY VALUE, GETSET, GET, INCR, INCRBY, DEL, APPEND, a hash or set command of one key, SELECT DB, INCR alone (refused when queued), or MULTI (nested: an error, not queued)"

// parseCommand parses one command as sent into the operation the
// workload draws for it; inTx says it is queued in a transaction.
func parseCommand(words []string, inTx bool) (checker.Op, error) {
	name := words[0]
	if up := strings.ToUpper(name); up != name {
		return checker.Op{}, fmt.Errorf("command %q: write command names in capitals (%s)", name, up)
	}
	if inTx && name == "MULTI" && len(words) == 1 {
		// A nested MULTI (drawTx): answered with an error, not queued.
		return checker.Op{Kind: checker.OpRead, Mode: txNested, Args: words}, nil
	}
	if inTx && name == "SELECT" {
		if len(words) != 2 {
			return checker.Op{}, fmt.Errorf("SELECT: want SELECT DB")
		}
		if db, err := strconv.Atoi(words[1]); err != nil || db < 0 || db > 15 || strconv.Itoa(db) != words[1] {
			return checker.Op{}, fmt.Errorf("SELECT %s: want a db in 0..15", words[1])
		}
		return checker.Op{Kind: checker.OpRead, Mode: "SELECT", Args: words}, nil
	}
	op, err := commandOp(words)
	if err != nil {
		return checker.Op{}, fmt.Errorf("%s: %v", name, err)
	}
	if inTx {
		switch {
		case op.Kind == checker.OpSet && op.TTL == 0 && op.Mode == "",
			op.Kind == checker.OpSetGet && op.Mode == "",
			op.Kind == checker.OpIncrBy && op.Mode == "INCRBY",
			op.Kind == checker.OpGet, op.Kind == checker.OpIncr, op.Kind == checker.OpDel, op.Kind == checker.OpAppend:
		case op.Kind == checker.OpRead && len(op.Args) == 1:
		case op.Kind == checker.OpCmd && len(checker.CmdKeys(op.Args)) == 1:
		default:
			return checker.Op{}, fmt.Errorf("%s: not a command a transaction holds (%s)", name, txCommands)
		}
		if op.Args == nil {
			op.Args = commandArgs(&op)
		}
	} else if op.Args == nil && (op.Kind > checker.OpMulti || op.Mode != "") {
		op.Args = commandArgs(&op)
	}
	if want := CommandWords(&op); !slices.Equal(want, words) {
		var b strings.Builder
		appendWords(&b, want)
		return checker.Op{}, fmt.Errorf("%s: not in the form the workload sends; write %s", name, b.String())
	}
	return op, nil
}

// commandOp maps a command's words to its operation (without Args, but
// for a command sent as is).
func commandOp(w []string) (checker.Op, error) {
	if op, ok := parseTable(w); ok {
		return op, nil // workload_admin.go
	}
	if w[0] == "AUTH" {
		if len(w) != 2 {
			return checker.Op{}, fmt.Errorf("want AUTH PASSWORD")
		}
		return authOp(w[1]), nil // clients_auth.go
	}
	if op, ok := parseUnblock(w); ok {
		return op, nil // workload_list.go
	}
	if op, ok, err := parseForm(w); ok {
		return op, err // workload_forms.go
	}
	arity := func(n ...int) error {
		if slices.Contains(n, len(w)-1) {
			return nil
		}
		return fmt.Errorf("wrong number of arguments (%d)", len(w)-1)
	}
	num := func(s string, lo, hi int64) (int64, error) {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v < lo || v > hi {
			return 0, fmt.Errorf("want an integer in %d..%d, got %q", lo, hi, s)
		}
		return v, nil
	}
	var op checker.Op
	if len(w) > 1 {
		op.Key = w[1]
		if op.Key == "" {
			return op, fmt.Errorf("empty key")
		}
	}
	var err error
	switch w[0] {
	case "GET", "GETDEL", "STRLEN", "PERSIST", "PTTL", "EXISTS", "DEL", "TYPE", "TTL":
		op.Kind = map[string]checker.OpKind{"GET": checker.OpGet, "GETDEL": checker.OpGetDel, "STRLEN": checker.OpStrlen,
			"PERSIST": checker.OpPersist, "PTTL": checker.OpPTTL, "EXISTS": checker.OpExists, "DEL": checker.OpDel,
			"TYPE": checker.OpRead, "TTL": checker.OpRead}[w[0]]
		if op.Kind == checker.OpRead {
			op.Mode = w[0]
		}
		return op, arity(1)
	case "INCR":
		if len(w) == 1 {
			return checker.Op{Kind: checker.OpRead, Args: []string{"INCR"}}, nil // refused: no key
		}
		op.Kind = checker.OpIncr
		return op, arity(1)
	case "SET":
		return setOp(w, num)
	case "SETNX", "GETSET", "APPEND":
		op.Kind = map[string]checker.OpKind{"SETNX": checker.OpSetNX, "GETSET": checker.OpSetGet, "APPEND": checker.OpAppend}[w[0]]
		if err := arity(2); err != nil {
			return op, err
		}
		op.Value = w[2]
	case "SETRANGE":
		if err := arity(3); err != nil {
			return op, err
		}
		op.Kind, op.Value = checker.OpSetRange, w[3]
		op.By, err = num(w[2], 0, math.MaxInt64)
		if err == nil && op.By > maxSetRange && checker.SetRangeWrites(op.By, op.Value) {
			// Past proto-max-bulk-len or empty, it allocates nothing.
			err = fmt.Errorf("want an integer in 0..%d (or one past proto-max-bulk-len), got %q", maxSetRange, w[2])
		}
	case "GETRANGE":
		if err := arity(3); err != nil {
			return op, err
		}
		op.Kind = checker.OpGetRange
		if op.By, err = num(w[2], math.MinInt64, math.MaxInt64); err == nil {
			op.Int2, err = num(w[3], math.MinInt64, math.MaxInt64)
		}
	case "INCRBY", "DECRBY", "DECR":
		op.Kind, op.Mode = checker.OpIncrBy, w[0]
		if w[0] == "DECR" {
			op.By = -1
			return op, arity(1)
		}
		if err := arity(2); err != nil {
			return op, err
		}
		op.By, err = num(w[2], math.MinInt64+1, math.MaxInt64)
		if w[0] == "DECRBY" {
			op.By = -op.By
		}
	case "PEXPIRE":
		if err := arity(2, 3); err != nil {
			return op, err
		}
		op.Kind = checker.OpExpire
		if op.TTL, err = num(w[2], 0, maxTTLms); err != nil {
			return op, err
		}
		if len(w) == 4 {
			op.Mode = w[3]
			if !slices.Contains([]string{"NX", "XX", "GT", "LT"}, op.Mode) {
				return op, fmt.Errorf("want NX, XX, GT or LT, got %q", op.Mode)
			}
		}
	case "MSET":
		if err := arity(4); err != nil {
			return op, err
		}
		op.Kind, op.Value, op.Key2, op.Value2 = checker.OpMSet, w[2], w[3], w[4]
	case "MGET", "RENAME", "RENAMENX":
		if err := arity(2); err != nil {
			return op, err
		}
		op.Kind, op.Key2 = checker.OpMGet, w[2]
		if w[0] != "MGET" {
			op.Kind = checker.OpRename
		}
		if w[0] == "RENAMENX" {
			op.Mode = "NX"
		}
	case "FLUSHDB", "FLUSHALL", "DBSIZE", "SCAN", "KEYS":
		op.Key = ""
		op.Kind = checker.OpRead
		switch w[0] {
		case "FLUSHDB":
			op.Kind = checker.OpFlush
		case "FLUSHALL":
			op.Kind, op.Mode = checker.OpFlush, "ALL"
		default:
			op.Mode = w[0]
		}
		if op.Kind == checker.OpFlush && len(w) == 2 {
			if w[1] != "ASYNC" && w[1] != "SYNC" {
				return flushSyntaxError(w[0], w[1]), nil
			}
			op.Args = w // the strings family's forms
		}
	case "WAIT":
		if err := arity(2); err != nil {
			return op, err
		}
		op.Kind, op.Key = checker.OpWait, ""
		n, err := num(w[1], 0, 100)
		op.Replicas = int(n)
		return op, err
	default:
		if checker.IsCommand(w[0]) {
			return cmdOp(w)
		}
		return op, fmt.Errorf("not a command the workload sends (hash and set commands, GET SET SETNX GETSET GETDEL APPEND SETRANGE GETRANGE STRLEN INCR INCRBY DECRBY DECR DEL PEXPIRE PERSIST PTTL EXISTS TYPE TTL MSET MGET RENAME RENAMENX FLUSHDB FLUSHALL DBSIZE SCAN KEYS WAIT MULTI)")
	}
	if op.Key2 == "" && (op.Kind == checker.OpMSet || op.Kind == checker.OpMGet || op.Kind == checker.OpRename) {
		return op, fmt.Errorf("empty key")
	}
	return op, err
}

// setOp parses SET KEY VALUE [PX N | EX N | NX [PX N] | XX | GET | KEEPTTL].
func setOp(w []string, num func(string, int64, int64) (int64, error)) (checker.Op, error) {
	if len(w) < 3 {
		return checker.Op{}, fmt.Errorf("wrong number of arguments (%d)", len(w)-1)
	}
	op := checker.Op{Kind: checker.OpSet, Key: w[1], Value: w[2]}
	opts := w[3:]
	var err error
	switch {
	case len(opts) == 0:
	case len(opts) == 2 && opts[0] == "PX":
		op.TTL, err = num(opts[1], 1, maxTTLms)
	case len(opts) == 2 && opts[0] == "EX":
		op.Mode = "EX"
		op.TTL, err = num(opts[1], 1, maxTTLms/1000)
		op.TTL *= 1000
	case len(opts) == 1 && opts[0] == "NX", len(opts) == 3 && opts[0] == "NX" && opts[1] == "PX":
		op.Kind, op.Mode = checker.OpSetNX, "NX"
		if len(opts) == 3 {
			op.TTL, err = num(opts[2], 1, maxTTLms)
		}
	case len(opts) == 1 && opts[0] == "XX":
		op.Kind = checker.OpSetXX
	case len(opts) == 1 && opts[0] == "GET":
		op.Kind, op.Mode = checker.OpSetGet, "GET"
	case len(opts) == 1 && opts[0] == "KEEPTTL":
		op.Kind = checker.OpKeepTTL
	default:
		return op, fmt.Errorf("options %q: want PX N, EX N, NX [PX N], XX, GET or KEEPTTL", strings.Join(opts, " "))
	}
	return op, err
}
