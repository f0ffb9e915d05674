package node

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLogoCarriesPortAndPID(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Port = 21111
	logo := Logo(cfg, 4242)
	lines := strings.Split(logo, "\n")
	assert.Len(t, lines, 19, "the art's 17 lines, a blank line, and the final newline")
	assert.Contains(t, logo, "     Port: 21111\n")
	// Redis's test suite waits for " PID: <pid>" on the server's stdout.
	assert.Contains(t, logo, "     PID: 4242\n")
	assert.Contains(t, logo, "Running in standalone mode\n")
	assert.Contains(t, logo, "replsim 7.0.15 (Redis 7.0.15 compatible) 64 bit\n")
	assert.True(t, strings.HasSuffix(logo, "\n\n"))
}

func TestAlwaysShowLogoDirective(t *testing.T) {
	cfg, warns, err := ParseConfig(ConfigSource{FileName: "t.conf", FileText: "always-show-logo yes\n"})
	require.NoError(t, err)
	assert.Empty(t, warns)
	assert.True(t, cfg.AlwaysShowLogo)
	assert.False(t, DefaultConfig().AlwaysShowLogo)

	_, _, err = ParseConfig(ConfigSource{Options: []string{"--always-show-logo", "maybe"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "argument must be 'yes' or 'no'")

	// Immutable, as in Redis.
	d := lookupConf("always-show-logo")
	require.NotNil(t, d)
	assert.NotZero(t, d.flags&confImmutable)
	assert.Equal(t, "yes", d.get(&cfg))
}
