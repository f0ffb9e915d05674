package resp

// parseInline follows processInlineBuffer.
func parseInline(buf []byte, args [][]byte, l *Limits) ([][]byte, int, error) {
	nl := indexCStr(buf, '\n')
	if nl < 0 {
		if len(buf) > l.MaxInlineLen {
			return args, 0, protoErr(errBigInline)
		}
		return args, 0, nil
	}
	return inlineLine(buf, nl, args)
}

// inlineLine splits the inline request that ends with the '\n' at nl into
// args, and returns how many bytes it took.
func inlineLine(buf []byte, nl int, args [][]byte) ([][]byte, int, error) {
	end := nl
	if end > 0 && buf[end-1] == '\r' {
		end--
	}
	line := buf[:end]
	if _, ok := splitArgs(line, nil, false); !ok {
		return args, 0, protoErr(errUnbalancedQuotes)
	}
	args, _ = splitArgs(line, args, true)
	return args, nl + 1, nil
}

// isSpace is C's isspace in the "C" locale.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func hexVal(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// splitArgs splits line the way sdssplitargs does. The line holds no NUL
// and no '\n' (the caller cut it at the first of either), so the end of the
// slice plays the part of C's terminating NUL.
//
// With decode false it only reports whether the quotes balance and appends
// nothing. With decode true it appends each argument to args, unescaping it
// in place: an argument never decodes to more bytes than its source text,
// so it is written over the start of that text. Bytes are written only
// where decoding changed something.
func splitArgs(line []byte, args [][]byte, decode bool) ([][]byte, bool) {
	p := 0
	at := func(i int) byte { // C's *(p+k): 0 past the end
		if i < len(line) {
			return line[i]
		}
		return 0
	}
	for {
		for p < len(line) && isSpace(line[p]) {
			p++
		}
		if p >= len(line) {
			return args, true
		}
		start, w := p, p
		emit := func(c byte) {
			if decode && (w != p || line[w] != c) {
				line[w] = c
			}
			w++
		}
		inDouble, inSingle := false, false
		for done := false; !done; {
			c := at(p)
			switch {
			case inDouble:
				switch {
				case c == '\\' && at(p+1) == 'x' && isHex(at(p+2)) && isHex(at(p+3)):
					emit(hexVal(at(p+2))<<4 | hexVal(at(p+3)))
					p += 3
				case c == '\\' && at(p+1) != 0:
					p++
					emit(unescape(line[p]))
				case c == '"':
					if n := at(p + 1); n != 0 && !isSpace(n) {
						return args, false
					}
					done = true
				case c == 0 && p >= len(line):
					return args, false
				default:
					emit(c)
				}
			case inSingle:
				switch {
				case c == '\\' && at(p+1) == '\'':
					p++
					emit('\'')
				case c == '\'':
					if n := at(p + 1); n != 0 && !isSpace(n) {
						return args, false
					}
					done = true
				case c == 0 && p >= len(line):
					return args, false
				default:
					emit(c)
				}
			default:
				switch c {
				case ' ', '\n', '\r', '\t':
					done = true
				case 0:
					if p >= len(line) {
						done = true
					} else {
						emit(c)
					}
				case '"':
					inDouble = true
				case '\'':
					inSingle = true
				default:
					emit(c)
				}
			}
			if p < len(line) {
				p++
			}
		}
		if decode {
			args = append(args, line[start:w:w])
		}
	}
}

// unescape maps the character after a backslash inside double quotes.
func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'b':
		return '\b'
	case 'a':
		return '\a'
	}
	return c
}
