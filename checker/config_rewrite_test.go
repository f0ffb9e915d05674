package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A rewrite whose file reads back as the running server passes; one that
// lost a CONFIG SET (or cannot be read back) is flagged, naming the
// directive.
func TestCheckConfigRewrites(t *testing.T) {
	live := map[string]string{"appendfsync": "always", "repl-timeout": "33"}
	ok := ConfigRewrite{At: 2 * sec, Node: "n1", Live: live, File: map[string]string{"appendfsync": "always", "repl-timeout": "33"}}
	assert.Empty(t, CheckConfigRewrites([]ConfigRewrite{ok}))

	lost := ok
	lost.File = map[string]string{"appendfsync": "everysec", "repl-timeout": "33"}
	vs := CheckConfigRewrites([]ConfigRewrite{ok, lost})
	require.Len(t, vs, 1)
	assert.Equal(t, PropDurability, vs[0].Check)
	assert.Equal(t, `CONFIG REWRITE on n1 at 2.000000s wrote a config file that does not describe the running server: appendfsync "everysec" in the file, "always" running`, vs[0].Detail)
}
