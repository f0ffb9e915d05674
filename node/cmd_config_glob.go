package node

import "bytes"

// configGlobMatch matches a CONFIG GET pattern against a parameter name
// case-insensitively, as Redis's stringmatch(pattern, name, nocase=1).
func configGlobMatch(pattern, name string) bool {
	return globMatch(bytes.ToLower([]byte(pattern)), bytes.ToLower([]byte(name)))
}
