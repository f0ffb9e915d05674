package node

// globMatch reports whether name matches the glob pattern, case-insensitively,
// with the syntax of Redis's stringmatch: * ? [abc] [^abc] [a-z] and \x.
func globMatch(pattern, name string) bool {
	for len(pattern) > 0 {
		switch pattern[0] {
		case '*':
			for len(pattern) > 1 && pattern[1] == '*' {
				pattern = pattern[1:]
			}
			if len(pattern) == 1 {
				return true
			}
			for i := 0; i <= len(name); i++ {
				if globMatch(pattern[1:], name[i:]) {
					return true
				}
			}
			return false
		case '?':
			if len(name) == 0 {
				return false
			}
			name = name[1:]
		case '[':
			if len(name) == 0 {
				return false
			}
			rest, ok := matchClass(pattern[1:], lower(name[0]))
			if !ok {
				return false
			}
			pattern = rest
			name = name[1:]
			continue
		case '\\':
			if len(pattern) >= 2 {
				pattern = pattern[1:]
			}
			fallthrough
		default:
			if len(name) == 0 || lower(pattern[0]) != lower(name[0]) {
				return false
			}
			name = name[1:]
		}
		pattern = pattern[1:]
	}
	return len(name) == 0
}

// matchClass matches c against the bracket expression at the start of p
// (just after '['); it returns the pattern after the closing ']'.
func matchClass(p string, c byte) (rest string, ok bool) {
	not := len(p) > 0 && p[0] == '^'
	if not {
		p = p[1:]
	}
	match := false
	for len(p) > 0 && p[0] != ']' {
		switch {
		case p[0] == '\\' && len(p) >= 2:
			if lower(p[1]) == c {
				match = true
			}
			p = p[2:]
		case len(p) >= 3 && p[1] == '-' && p[2] != ']':
			lo, hi := lower(p[0]), lower(p[2])
			if lo > hi {
				lo, hi = hi, lo
			}
			if c >= lo && c <= hi {
				match = true
			}
			p = p[3:]
		default:
			if lower(p[0]) == c {
				match = true
			}
			p = p[1:]
		}
	}
	if len(p) > 0 {
		p = p[1:] // the ']'
	}
	return p, match != not
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
