package checker

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cmds writes commands in RESP's multibulk form.
func cmds(cs ...[]string) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString("*" + strconv.Itoa(len(c)) + "\r\n")
		for _, a := range c {
			b.WriteString("$" + strconv.Itoa(len(a)) + "\r\n" + a + "\r\n")
		}
	}
	return b.String()
}

func items(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + strconv.Itoa(i)
	}
	return out
}

func TestCommandBases(t *testing.T) {
	c := func(a ...string) []string { return a }
	rpush := func(key string, its []string) []string { return append([]string{"RPUSH", key}, its...) }
	good := "#TS:1767225600\r\n" + cmds(
		c("SELECT", "0"), c("SET", "a", "1"), c("PEXPIREAT", "a", "1767225600000"),
		rpush("l", items("x", 64)), rpush("l", items("y", 3)),
		c("SELECT", "3"), c("HMSET", "h", "f", "v"), c("ZADD", "z", "1.5", "m"), c("SADD", "s", "m"))
	judge := func(base string) []Violation {
		return CheckCommandBases([]ManifestFile{{Node: "n1", CommandBases: map[string]string{"appendonly.aof.2.base.aof": base}, Timestamps: true}})
	}
	assert.Empty(t, judge(good))
	assert.Empty(t, judge(""), "an empty dataset writes nothing")
	v := CheckCommandBases([]ManifestFile{{Node: "n1", CommandBases: map[string]string{"appendonly.aof.2.base.aof": good}}})
	require.Len(t, v, 1, "an annotation without aof-timestamp-enabled")
	assert.Contains(t, v[0].Detail, "aof-timestamp-enabled was never yes")

	for _, bad := range []struct{ name, base, want string }{
		{"a SELECT of an empty database", cmds(c("SELECT", "0"), c("SELECT", "1"), c("SET", "a", "1")), "skips a database without keys"},
		{"a SELECT at the end", cmds(c("SELECT", "0"), c("SET", "a", "1"), c("SELECT", "1")), "ends right after SELECT 1"},
		{"databases out of order", cmds(c("SELECT", "2"), c("SET", "a", "1"), c("SELECT", "1"), c("SET", "b", "1")), "increasing order"},
		{"a database selected twice", cmds(c("SELECT", "1"), c("SET", "a", "1"), c("SELECT", "1"), c("SET", "b", "1")), "increasing order"},
		{"no SELECT", cmds(c("SET", "a", "1")), "before any SELECT"},
		{"a key split", cmds(c("SELECT", "0"), c("SADD", "s", "1"), c("SET", "a", "1"), c("SADD", "s", "2")), "again, after other keys"},
		{"a short batch first", cmds(c("SELECT", "0"), rpush("l", items("x", 3)), rpush("l", items("y", 3))), "fills each batch"},
		{"a batch too long", cmds(c("SELECT", "0"), rpush("l", items("x", 65))), "1 to 64 items"},
		{"a hash field without value", cmds(c("SELECT", "0"), c("HMSET", "h", "f")), "1 to 64 items of 2"},
		{"a TTL before the value", cmds(c("SELECT", "0"), c("PEXPIREAT", "a", "1")), "without the key's value"},
		{"a TTL not last", cmds(c("SELECT", "0"), c("SADD", "s", "1"), c("PEXPIREAT", "s", "1"), c("SADD", "s", "2")), "after its PEXPIREAT"},
		{"a command no rewrite writes", cmds(c("SELECT", "0"), c("INCR", "a")), "not a command a rewrite writes"},
		{"an annotation not first", cmds(c("SELECT", "0")) + "#TS:1\r\n", "not a multibulk command"},
		{"a cut file", cmds(c("SELECT", "0"), c("SET", "a", "1"))[:20], "a bad bulk"},
	} {
		t.Run(bad.name, func(t *testing.T) {
			v := judge(bad.base)
			require.Len(t, v, 1)
			assert.Equal(t, "aof_base_commands", v[0].Check)
			assert.Contains(t, v[0].Detail, bad.want)
		})
	}
}
