package cluster

import (
	"slices"
	"strconv"
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/fault"
)

// opsHeader is the comment Format starts with.
const opsHeader = "# replsim workload: [at SECONDS] CLIENT COMMAND, one operation per line"

// Format renders the list in its text form (see OpList); ParseOps reads
// it back into the same list.
func (l *OpList) Format() string {
	var b strings.Builder
	b.WriteString(opsHeader)
	b.WriteByte('\n')
	names := make([]string, 0, len(l.DBs)+len(l.Auth))
	for c, db := range l.DBs {
		if db != 0 {
			names = append(names, c)
		}
	}
	for c := range l.Auth {
		if l.DBs[c] == 0 {
			names = append(names, c)
		}
	}
	slices.Sort(names)
	for _, c := range names {
		b.WriteString("client " + c)
		if db := l.DBs[c]; db != 0 {
			b.WriteString(" db=" + strconv.Itoa(db))
		}
		if a, ok := l.Auth[c]; ok {
			b.WriteString(" auth=" + a.Mode + " redial=" + strconv.Itoa(a.Redial))
		}
		b.WriteByte('\n')
	}
	for i := range l.Ops {
		o := &l.Ops[i]
		if o.At > 0 {
			b.WriteString("at " + fault.FormatSeconds(o.At) + " ")
		}
		b.WriteString(o.Client)
		b.WriteByte(' ')
		if o.Op.Quiet != "" {
			b.WriteString("reply-" + strings.ToLower(o.Op.Quiet) + " ")
		}
		b.WriteString(FormatCommand(&o.Op))
		b.WriteByte('\n')
	}
	return b.String()
}

// FormatCommand renders op as the list writes it: the command as sent,
// its words quoted where needed; a transaction as MULTI ; ... ; EXEC
// after "rt" (one command per round trip) or "pair" (the core two-SET
// transaction) where that applies.
func FormatCommand(op *checker.Op) string {
	var b strings.Builder
	switch op.Kind {
	case checker.OpTx:
		if isWatch(op) {
			formatWatch(&b, op)
			break
		}
		if op.Mode == "RT" {
			b.WriteString("rt ")
		}
		b.WriteString("MULTI ; ")
		for i := range op.Sub {
			appendWords(&b, CommandWords(&op.Sub[i]))
			b.WriteString(" ; ")
		}
		b.WriteString(txEnd(op))
	case checker.OpMulti:
		b.WriteString("pair MULTI ; ")
		appendWords(&b, []string{"SET", op.Key, op.Value})
		b.WriteString(" ; ")
		appendWords(&b, []string{"SET", op.Key2, op.Value2})
		b.WriteString(" ; EXEC")
	default:
		appendWords(&b, CommandWords(op))
	}
	return b.String()
}

// CommandWords returns the command a client sends for op, one that is not
// a transaction.
func CommandWords(op *checker.Op) []string {
	switch {
	case len(op.Args) > 0 && op.Kind != checker.OpTx:
		return op.Args
	case op.Kind == checker.OpWait:
		return []string{"WAIT", strconv.Itoa(op.Replicas), strconv.Itoa(waitTimeoutMs)}
	case op.Kind == checker.OpMulti:
		return []string{"MULTI", "SET", op.Key, op.Value, "SET", op.Key2, op.Value2, "EXEC"}
	}
	return commandArgs(op)
}

func appendWords(b *strings.Builder, words []string) {
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quoteWord(w))
	}
}

// minRepeat is the length from which a value made of one short string
// repeated is written "x"*N.
const minRepeat = 32

// quoteWord writes w as a word of the list: as is, Go-quoted when it holds
// anything that would not read back as itself, or "x"*N when it is long
// and repetitive.
func quoteWord(w string) string {
	if len(w) >= minRepeat {
		for p := 1; p <= 8 && p < len(w); p++ {
			if len(w)%p == 0 && strings.Repeat(w[:p], len(w)/p) == w {
				return strconv.Quote(w[:p]) + "*" + strconv.Itoa(len(w)/p)
			}
		}
	}
	if w == "" || w == ";" || w[0] == '#' {
		return strconv.Quote(w)
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; c <= ' ' || c >= 0x7f || c == '"' || c == '\\' {
			return strconv.Quote(w)
		}
	}
	return w
}
