package node

import (
	"errors"
	"strings"
)

// ignoredEnums lists the values Redis 7.0.15 accepts for the enum
// directives that replsim ignores, so that a bad value still fails as in
// Redis (Redis's own test suite checks that `redis-server --loglevel --bla`
// refuses to start) instead of starting a server that ignores it.
var ignoredEnums = map[string][]string{
	"loglevel":                        {"debug", "verbose", "notice", "warning"},
	"maxmemory-policy":                {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"},
	"supervised":                      {"upstart", "systemd", "auto", "no"},
	"syslog-facility":                 {"user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"},
	"acl-pubsub-default":              {"allchannels", "resetchannels"},
	"sanitize-dump-payload":           {"no", "yes", "clients"},
	"enable-module-command":           {"no", "yes", "local"},
	"cluster-preferred-endpoint-type": {"ip", "hostname", "unknown-endpoint"},
	"propagation-error-behavior":      {"ignore", "panic", "panic-on-replicas"},
}

// checkIgnoredValue fails with Redis's message when args is not a valid
// value of the ignored enum directive name; other directives pass.
func checkIgnoredValue(name string, args []string) error {
	values, ok := ignoredEnums[name]
	if !ok {
		return nil
	}
	if knownConfigs[name] && len(args) == 1 {
		// `--shutdown-on-sigint "now force"`: one argument holding several.
		args, _ = splitConfigArgs(args[0])
	}
	bad := len(args) == 0
	for _, a := range args {
		found := false
		for _, v := range values {
			found = found || strings.EqualFold(a, v)
		}
		bad = bad || !found
	}
	if bad {
		return errors.New("argument(s) must be one of the following: " + strings.Join(values, ", "))
	}
	return nil
}
