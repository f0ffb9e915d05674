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

	// Valid values are still ignored with a warning (any case, as Redis);
	// loglevel and shutdown-on-sig* are implemented.
	warns, err := parse("--loglevel", "VERBOSE", "--shutdown-on-sigint", "now force",
		"--shutdown-on-sigterm", "nosave", "now", "--propagation-error-behavior", "panic")
	require.NoError(t, err)
	require.Len(t, warns, 1)
	assert.Equal(t, "propagation-error-behavior is not implemented by replsim; ignored", warns[0].Msg)
	cfg, _, err := ParseConfig(ConfigSource{Options: []string{"--shutdown-on-sigint", "now force", "--shutdown-on-sigterm", "nosave", "now"}})
	require.NoError(t, err)
	assert.Equal(t, shutdownNow|shutdownForce, cfg.ShutdownOnSigint)
	assert.Equal(t, shutdownNoSave|shutdownNow, cfg.ShutdownOnSigterm)
	assert.Equal(t, "now force", confByName["shutdown-on-sigint"].get(&cfg))
	assert.Equal(t, "nosave now", confByName["shutdown-on-sigterm"].get(&cfg))
	assert.Equal(t, "default", confByName["shutdown-on-sigterm"].get(&Config{}))
	_, _, err = ParseConfig(ConfigSource{Options: []string{"--shutdown-on-sigint", "save nosave"}})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "shutdown options SAVE and NOSAVE can't be used simultaneously", ce.Msg)
}
