package resp

import (
	"bytes"
	"math"
)

// Parser is the request parser of one connection. Unlike ParseCommand it
// keeps what it parsed of a partial request — the kind of request, the
// argument count, the arguments read so far, the bulk length being read and
// how far a line has been searched for its end — so feeding a request in
// pieces costs time linear in its size, however it is cut.
//
// It follows Redis 7.0.15's processMultibulkBuffer and processInlineBuffer
// (see ParseCommand for the quirks it shares), plus the two checks Redis
// makes on clients that still have to authenticate: more than 10 arguments
// is "unauthenticated multibulk length", a bulk longer than 16384 bytes is
// "unauthenticated bulk length".
//
// The zero Parser is ready to use.
type Parser struct {
	kind  byte  // 0 between requests, '*' multibulk, 'i' inline
	pos   int   // bytes of the current request parsed
	scan  int   // where the search for the current line's end resumes
	nul   bool  // that search met a NUL: the line's end is hidden for good
	left  int64 // multibulk: arguments still to read
	bulk  int64 // length of the bulk being read, -1 while reading "$len"
	spans []span
}

// span locates one argument inside the current request.
type span struct{ off, n int }

// Unauthenticated limits of Redis 7.0 (processMultibulkBuffer): a client
// that must still AUTH may announce at most this many arguments and this
// long a bulk.
const (
	UnauthMaxMultibulk = 10
	UnauthMaxBulkLen   = 16384
)

// Unauthenticated request error texts, as sent by Redis 7.0.15.
const (
	errUnauthMultibulkLen = "Protocol error: unauthenticated multibulk length"
	errUnauthBulkLen      = "Protocol error: unauthenticated bulk length"
)

// Parse continues the current request. buf must hold the request from its
// first byte to everything buffered after it, and must extend what the
// previous call saw (bytes already seen may move but not change, so the
// caller may compact its buffer between calls). unauth says the client
// still has to authenticate.
//
// The result has ParseCommand's contract: on a complete request it returns
// the arguments appended to args[:0] (aliasing buf) and the number of bytes
// the request took, and the parser is ready for the next request;
// n == 0 && err == nil means incomplete. On error the parser is spent, as
// the connection is.
//
// The "too big" errors depend on len(buf) as in Redis, where they depend
// on how much was read: a caller that passes less than it buffered (to
// bound the work of one call) gets them no earlier than with everything.
func (p *Parser) Parse(buf []byte, args [][]byte, lim *Limits, unauth bool) (out [][]byte, n int, err error) {
	args = args[:0]
	if len(buf) == 0 {
		return args, 0, nil
	}
	l := lim.effective()
	if p.kind == 0 {
		p.kind = 'i'
		if buf[0] == '*' {
			p.kind = '*'
		}
		p.bulk = -1
	}
	if p.kind == 'i' {
		return p.inline(buf, args, &l)
	}
	return p.multibulk(buf, args, &l, unauth)
}

// Progress is how many bytes of the current request the parser is done
// with: the bytes it looked at, and a bulk payload it is waiting for
// counted whole, since taking it costs nothing per byte. A caller that
// bounds the work of one call passes Progress()+budget bytes.
func (p *Parser) Progress() int {
	if p.kind == '*' && p.bulk >= 0 && p.pos > 0 {
		const most = math.MaxInt / 2
		if p.bulk > most {
			return most
		}
		return p.pos + int(p.bulk) + 2
	}
	return max(p.pos, p.scan)
}

// Parsed is how many bytes of the current request the parser has taken
// into its header and complete arguments (the part Redis would have moved
// out of its query buffer).
func (p *Parser) Parsed() int { return p.pos }

// Reset forgets any partial request.
func (p *Parser) Reset() {
	spans := p.spans[:0]
	if cap(spans) > maxKeptSpans {
		spans = nil
	}
	*p = Parser{spans: spans}
}

// maxKeptSpans bounds the argument table a parser keeps between requests,
// so one huge request does not pin its memory.
const maxKeptSpans = 1024

// lineEnd finds c in buf from the current line start (p.pos), resuming the
// search where the last call stopped, with C's strchr semantics: a NUL
// ends the search for good. It returns the index in buf or -1.
func (p *Parser) lineEnd(buf []byte, c byte) int {
	if p.nul {
		// Everything so far is searched: Progress grows with the input,
		// so a caller that reads within a budget still sees the line pass
		// Redis's length limit (Redis's protocol desync tests).
		p.scan = len(buf)
		return -1
	}
	from := max(p.scan, p.pos)
	rest := buf[from:]
	// Lines are short ("$5\r\n"): a plain loop finds both c and a NUL in
	// one pass; long ones go to the vectorised search.
	short := rest[:min(len(rest), 32)]
	for i, x := range short {
		if x == c {
			p.scan = from + i
			return from + i
		}
		if x == 0 {
			p.nul = true
			p.scan = len(buf)
			return -1
		}
	}
	i := -1
	if len(rest) > len(short) {
		if i = bytes.IndexByte(rest, c); i >= 0 {
			rest = rest[:i]
		}
		if bytes.IndexByte(rest, 0) >= 0 {
			p.nul = true
			p.scan = len(buf)
			return -1
		}
	}
	if i < 0 {
		p.scan = len(buf)
		return -1
	}
	p.scan = from + i
	return from + i
}

func (p *Parser) inline(buf []byte, args [][]byte, l *Limits) ([][]byte, int, error) {
	nl := p.lineEnd(buf, '\n')
	if nl < 0 {
		if len(buf) > l.MaxInlineLen {
			return args, 0, protoErr(errBigInline)
		}
		return args, 0, nil
	}
	args, n, err := inlineLine(buf, nl, args)
	if err == nil {
		p.Reset()
	}
	return args, n, err
}

func (p *Parser) multibulk(buf []byte, args [][]byte, l *Limits, unauth bool) ([][]byte, int, error) {
	if p.pos == 0 {
		cr := p.lineEnd(buf, '\r')
		if cr < 0 {
			if len(buf) > l.MaxInlineLen {
				return args, 0, protoErr(errBigMbulkCount)
			}
			return args, 0, nil
		}
		if cr+2 > len(buf) {
			return args, 0, nil
		}
		count, ok := parseInt(buf[1:cr])
		switch {
		case !ok || count > l.MaxMultibulk:
			return args, 0, protoErr(errInvalidMultibulkLen)
		case count > UnauthMaxMultibulk && unauth:
			return args, 0, protoErr(errUnauthMultibulkLen)
		case count <= 0:
			p.Reset()
			return args, cr + 2, nil
		}
		p.pos, p.left = cr+2, count
	}
	for p.left > 0 {
		if p.bulk < 0 {
			cr := p.lineEnd(buf, '\r')
			if cr < 0 {
				if len(buf)-p.pos > l.MaxInlineLen {
					return args, 0, protoErr(errBigBulkCount)
				}
				return args, 0, nil
			}
			if cr+2 > len(buf) {
				return args, 0, nil
			}
			if buf[p.pos] != '$' {
				return args, 0, expectedDollar(buf[p.pos])
			}
			size, ok := parseInt(buf[p.pos+1 : cr])
			switch {
			case !ok || size < 0 || size > l.MaxBulkLen:
				return args, 0, protoErr(errInvalidBulkLen)
			case size > UnauthMaxBulkLen && unauth:
				return args, 0, protoErr(errUnauthBulkLen)
			}
			p.pos, p.bulk = cr+2, size
		}
		if p.bulk > int64(len(buf)-p.pos-2) {
			return args, 0, nil
		}
		if p.spans == nil {
			p.spans = make([]span, 0, min(p.left, 16))
		}
		p.spans = append(p.spans, span{p.pos, int(p.bulk)})
		p.pos += int(p.bulk) + 2
		p.scan = p.pos
		p.bulk = -1
		p.left--
	}
	args = appendSpans(args, buf, p.spans)
	n := p.pos
	p.Reset()
	return args, n, nil
}

// appendSpans appends the arguments spans locate in buf.
func appendSpans(args [][]byte, buf []byte, spans []span) [][]byte {
	if need := len(args) + len(spans); cap(args) < need {
		grown := make([][]byte, len(args), need)
		copy(grown, args)
		args = grown
	}
	for _, s := range spans {
		end := s.off + s.n
		args = append(args, buf[s.off:end:end])
	}
	return args
}
