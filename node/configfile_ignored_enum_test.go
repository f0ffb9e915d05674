package node

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIgnoredEnumDirectivesCheckTheirValues(t *testing.T) {
	parse := func(opts ...string) ([]Warning, error) {
		_, warns, err := ParseConfig(ConfigSource{Options: opts})
		return warns, err
	}
	// The cases of Redis's "redis-server command line arguments - error
	// cases" test, with redis-server 7.0.15's messages.
	_, err := parse("--logfile", "--my--log--file", "--loglevel", "--bla")
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, `loglevel "--bla"`, ce.Line)
	assert.Equal(t, "argument(s) must be one of the following: debug, verbose, notice, warning", ce.Msg)

	_, err = parse("--shutdown-on-sigint")
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "shutdown-on-sigint", ce.Line)
	assert.Equal(t, "argument(s) must be one of the following: default, save, nosave, now, force", ce.Msg)

	_, err = parse("--shutdown-on-sigint", "now force", "--shutdown-on-sigterm")
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, 3, ce.LineNo)
	assert.Equal(t, "shutdown-on-sigterm", ce.Line)

	_, err = parse("--shutdown-on-sigint", "now", "bogus")
	require.Error(t, err)

	// Valid values are accepted with a warning (any case, as Redis);
	// loglevel is implemented, shutdown-on-sigint kept for CONFIG GET.
	warns, err := parse("--loglevel", "VERBOSE", "--shutdown-on-sigint", "now force",
		"--shutdown-on-sigterm", "nosave", "now", "--propagation-error-behavior", "panic")
	require.NoError(t, err)
	require.Len(t, warns, 3)
	assert.Equal(t, "shutdown-on-sigint has no effect in replsim; accepted", warns[0].Msg)
}
