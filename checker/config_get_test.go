package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func knobAdmin(node string, call, ret int64, reply string, args ...string) Op {
	return Op{Kind: OpRead, Mode: "ADMIN", Node: node, Call: call, Return: ret, Args: args, Reply: reply}
}

func getReply(name, v string) string { return `1) "` + name + `" 2) "` + v + `"` }

func TestConfigGetsReadTheLatestSet(t *testing.T) {
	set := knobAdmin("n1", 10, 20, "OK", "CONFIG", "SET", "maxmemory-clients", "1mb")
	get := func(call int64, v string) Op {
		return knobAdmin("n1", call, call+5, getReply("maxmemory-clients", v), "CONFIG", "GET", "maxmemory-clients")
	}
	assert.Empty(t, CheckConfigGets([]Op{set, get(30, "1048576")}, nil), "normalised 1mb")
	assert.Empty(t, CheckConfigGets([]Op{set, get(5, "0")}, nil), "before the SET: the default")
	assert.Empty(t, CheckConfigGets([]Op{set, get(15, "0")}, nil), "concurrent with the SET: either")
	assert.Empty(t, CheckConfigGets([]Op{set, get(15, "1048576")}, nil), "concurrent with the SET: either")

	v := CheckConfigGets([]Op{set, get(30, "0")}, nil)
	require.Len(t, v, 1, "the SET returned before the GET")
	assert.Contains(t, v[0].Detail, `answered "0"`)

	later := knobAdmin("n1", 40, 50, "OK", "CONFIG", "SET", "maxmemory-clients", "10%")
	require.Len(t, CheckConfigGets([]Op{set, later, get(60, "1048576")}, nil), 1, "superseded by a later SET")
	assert.Empty(t, CheckConfigGets([]Op{set, later, get(60, "10%")}, nil))

	other := get(30, "0")
	other.Node = "n2"
	assert.Empty(t, CheckConfigGets([]Op{set, other}, nil), "another node has its own config")

	down := []RoleChange{{At: 25, Node: "n1", Role: "down"}}
	assert.Empty(t, CheckConfigGets([]Op{set, get(30, "0")}, down), "a restart starts from the config file")

	failed := set
	failed.Err = "ERR something"
	assert.Empty(t, CheckConfigGets([]Op{failed, get(30, "0")}, nil), "a refused SET changes nothing")
}

func TestNormaliseKnob(t *testing.T) {
	for _, tc := range []struct{ name, raw, want string }{
		{"maxmemory-clients", "1G", "1000000000"}, {"maxmemory-clients", "1gb", "1073741824"},
		{"maxmemory-clients", "5k", "5000"}, {"maxmemory-clients", "10%", "10%"},
		{"oom-score-adj", "relative", "yes"}, {"oom-score-adj", "YES", "yes"}, {"latency-tracking", "YES", "yes"},
		{"latency-tracking-info-percentiles", "99.90", "99.9"}, {"latency-tracking-info-percentiles", "1e1", "10"},
		{"latency-tracking-info-percentiles", "50.0 99", "50 99"}, {"proc-title-template", "{title}", "{title}"},
	} {
		assert.Equal(t, tc.want, normaliseKnob(tc.name, tc.raw), "%s %s", tc.name, tc.raw)
	}
}

// A CONFIG SET of several directives sets each (or, refused, none); a
// CONFIG GET of several names or a pattern is judged on each judged
// directive it shows.
func TestConfigGetsOfSeveralDirectives(t *testing.T) {
	set := knobAdmin("n1", 10, 20, "OK", "CONFIG", "SET", "oom-score-adj", "absolute", "watchdog-period", "0", "maxmemory-clients", "5k")
	get := func(reply string, args ...string) Op {
		return knobAdmin("n1", 30, 35, reply, append([]string{"CONFIG", "GET"}, args...)...)
	}
	two := get(`1) "maxmemory-clients" 2) "5000" 3) "oom-score-adj" 4) "absolute"`, "oom-score-adj", "maxmemory-clients")
	assert.Empty(t, CheckConfigGets([]Op{set, two}, nil))
	stale := get(`1) "maxmemory-clients" 2) "5000" 3) "oom-score-adj" 4) "no"`, "oom-score-adj", "maxmemory-clients")
	require.Len(t, CheckConfigGets([]Op{set, stale}, nil), 1, "the second directive of the SET")

	pattern := get(`1) "latency-tracking" 2) "no" 3) "latency-tracking-info-percentiles" 4) "50 99 99.9"`, "latency-tracking*")
	require.Len(t, CheckConfigGets([]Op{pattern}, nil), 1, "latency-tracking was never set")
	pattern.Reply = `1) "latency-tracking" 2) "yes" 3) "latency-tracking-info-percentiles" 4) "50 99 99.9"`
	assert.Empty(t, CheckConfigGets([]Op{pattern}, nil))

	upper := get(`1) "OOM-SCORE-ADJ" 2) "no"`, "OOM-SCORE-ADJ")
	require.Len(t, CheckConfigGets([]Op{set, upper}, nil), 1, "a name as the GET spelt it")

	refused := set
	refused.Err = "ERR CONFIG SET failed (possibly related to argument 'oom-score-adj')"
	require.Len(t, CheckConfigGets([]Op{refused, two}, nil), 2, "a refused SET sets none of its directives")

	assert.Empty(t, CheckConfigGets([]Op{get(`1) "maxmemory-clients" 2) "5000" 3) "x"`, "*")}, nil), "not a reply of pairs: not judged")
}
