package node

// globMatch reports whether s matches the glob pattern p with Redis's
// stringmatchlen rules: '*' any run, '?' one byte, '[...]' a class with
// '^' negation, 'a-z' ranges (either order) and '\' escapes, '\' escaping
// any byte outside a class. A class missing its ']' runs to the end of the
// pattern. Matching is byte-wise and case-sensitive.
func globMatch(p, s []byte) bool {
	skipLonger := false
	return globMatchAt(p, s, &skipLonger)
}

// at is p[i], or 0 past the end (Redis's strings are NUL-terminated, and
// its matcher peeks at the terminator).
func at(p []byte, i int) byte {
	if i < len(p) {
		return p[i]
	}
	return 0
}

func globMatchAt(p, s []byte, skipLonger *bool) bool {
	pi, si := 0, 0
	plen, slen := len(p), len(s)
	for plen > 0 && slen > 0 {
		switch p[pi] {
		case '*':
			for plen > 0 && at(p, pi+1) == '*' {
				pi++
				plen--
			}
			if plen == 1 {
				return true
			}
			for slen > 0 {
				if globMatchAt(p[pi+1:pi+plen], s[si:si+slen], skipLonger) {
					return true
				}
				if *skipLonger {
					return false
				}
				si++
				slen--
			}
			// No match for the rest of the pattern anywhere in the rest of
			// the string: a longer match for an earlier '*' cannot help.
			*skipLonger = true
			return false
		case '?':
			si++
			slen--
		case '[':
			pi++
			plen--
			not := at(p, pi) == '^'
			if not {
				pi++
				plen--
			}
			match := false
			for {
				if at(p, pi) == '\\' && plen >= 2 {
					pi++
					plen--
					if at(p, pi) == s[si] {
						match = true
					}
				} else if at(p, pi) == ']' {
					break
				} else if plen == 0 {
					pi--
					plen++
					break
				} else if plen >= 3 && at(p, pi+1) == '-' {
					lo, hi := at(p, pi), at(p, pi+2)
					if lo > hi {
						lo, hi = hi, lo
					}
					pi += 2
					plen -= 2
					if s[si] >= lo && s[si] <= hi {
						match = true
					}
				} else if at(p, pi) == s[si] {
					match = true
				}
				pi++
				plen--
			}
			if not {
				match = !match
			}
			if !match {
				return false
			}
			si++
			slen--
		case '\\':
			if plen >= 2 {
				pi++
				plen--
			}
			fallthrough
		default:
			if at(p, pi) != s[si] {
				return false
			}
			si++
			slen--
		}
		pi++
		plen--
		if slen == 0 {
			for at(p, pi) == '*' && plen > 0 {
				pi++
				plen--
			}
			break
		}
	}
	return plen == 0 && slen == 0
}
