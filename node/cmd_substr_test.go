package node

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// SUBSTR is GETRANGE under its Redis 1.0 name: Redis 7.0.15 still answers
// it (redis-cli: SET q hello; SUBSTR q 1 3 -> "ell"), and the bits family
// sends it.
func TestSubstrIsGetrange(t *testing.T) {
	tn := newTestNode(t, DefaultConfig(), nil)
	tn.do("SET", "q", "hello")
	assert.Equal(t, `"ell"`, tn.do("SUBSTR", "q", "1", "3"))
	assert.Equal(t, `"llo"`, tn.do("substr", "q", "-3", "-1"))
	assert.Equal(t, `""`, tn.do("SUBSTR", "missing", "0", "1"))
	assert.Equal(t, "(error) ERR value is not an integer or out of range", tn.do("SUBSTR", "q", "x", "1"))
	assert.Equal(t, "(error) ERR wrong number of arguments for 'substr' command", tn.do("SUBSTR", "q", "1"))
}
