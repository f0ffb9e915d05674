package resp

import "strings"

// SplitArgs splits one line into arguments exactly as Redis's sdssplitargs
// does (redis.conf lines, AOF manifest lines, inline commands): blanks
// separate arguments; "double quotes" allow \n \r \t \b \a \xHH and
// \<char> escapes; 'single quotes' allow only \'. A closing quote must be
// followed by a blank or the end. ok is false for unbalanced quotes. As in
// C, the line ends at its first NUL byte.
func SplitArgs(line string) (args []string, ok bool) {
	if i := strings.IndexAny(line, "\x00\n"); i >= 0 {
		line = line[:i]
	}
	buf := []byte(line)
	parts, ok := splitArgs(buf, nil, true)
	if !ok {
		return nil, false
	}
	if len(parts) == 0 {
		return nil, true
	}
	args = make([]string, len(parts))
	for i, p := range parts {
		args[i] = string(p)
	}
	return args, true
}

// Repr quotes s as Redis's sdscatrepr does, so that SplitArgs gives s back.
func Repr(s string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\a':
			b.WriteString(`\a`)
		case '\b':
			b.WriteString(`\b`)
		default:
			if c >= 0x20 && c < 0x7f {
				b.WriteByte(c)
			} else {
				b.WriteString(`\x`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0xf])
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
