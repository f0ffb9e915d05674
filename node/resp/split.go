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
func Repr(s string) string { return string(appendRepr(nil, []byte(s))) }
