package node

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestQueryBufferSampleShort(t *testing.T) {
	assert.Equal(t, "Query buffer during protocol error: 'PING..*1..$4..PING..'",
		queryBufferSample([]byte("PING\r\n*1\r\n$4\r\nPING\r\n")))
	assert.Equal(t, "Query buffer during protocol error: '*1..$x'",
		queryBufferSample([]byte("*1\r\n$x\x00rest")), "a C string ends at NUL")
}

func TestQueryBufferSampleLong(t *testing.T) {
	in := strings.Repeat("a", 64) + strings.Repeat("b", 100) + strings.Repeat("c", 64)
	got := queryBufferSample([]byte(in))
	assert.Equal(t, "Query buffer during protocol error: '"+strings.Repeat("a", 64)+"' (... more 100 bytes ...) '"+strings.Repeat("c", 64)+"'", got)
	assert.LessOrEqual(t, len(queryBufferSample([]byte(strings.Repeat("\xff", 4000)))), 255)
}
