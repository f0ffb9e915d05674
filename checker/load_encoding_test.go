package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/tap"
)

func TestLoadEncodings(t *testing.T) {
	lim := EncodingLimits{HashEntries: 2, HashValue: 4, ZsetEntries: 2, ZsetValue: 4, IntsetEntries: 3}
	key := func(typ, value, enc string) tap.KeyEncoding {
		return tap.KeyEncoding{KeyValue: tap.KeyValue{Key: "k", Type: typ, Value: value}, Encoding: enc}
	}
	long := "abcdefghijklmnopqrstuvwxyz0123456789abcdefghij" // 46 bytes
	good := []tap.KeyEncoding{
		key(tap.TypeString, "123", "int"),
		key(tap.TypeString, "-9223372036854775808", "int"),
		key(tap.TypeString, "007", "embstr"),
		key(tap.TypeString, "-0", "embstr"),
		key(tap.TypeString, "+5", "embstr"),
		key(tap.TypeString, "9223372036854775808", "embstr"),
		key(tap.TypeString, long, "raw"),
		key(tap.TypeSet, tap.EncodeSet([]string{"1", "2", "3"}), "intset"),
		key(tap.TypeSet, tap.EncodeSet([]string{"1", "2", "3", "4"}), "hashtable"),
		key(tap.TypeSet, tap.EncodeSet([]string{"1", "x"}), "hashtable"),
		key(tap.TypeHash, tap.EncodeHash([][2]string{{"a", "1"}, {"b", "2"}}), "listpack"),
		key(tap.TypeHash, tap.EncodeHash([][2]string{{"a", "1"}, {"b", "2"}, {"c", "3"}}), "hashtable"),
		key(tap.TypeHash, tap.EncodeHash([][2]string{{"a", "12345"}}), "listpack"),  // stored as a listpack
		key(tap.TypeHash, tap.EncodeHash([][2]string{{"a", "12345"}}), "hashtable"), // stored as a table
		key(tap.TypeZset, tap.EncodeZset([]tap.ZsetMember{{Member: "a", Score: 1}, {Member: "b", Score: 1e300}}), "listpack"),
		key(tap.TypeZset, tap.EncodeZset([]tap.ZsetMember{{Member: "a"}, {Member: "b"}, {Member: "c"}}), "skiplist"),
		key(tap.TypeList, tap.EncodeList([]string{"x"}), "quicklist"),
	}
	assert.Empty(t, CheckLoadEncodings([]LoadEncodings{{Node: "n1", Limits: lim, Keys: good}}))

	for name, bad := range map[string]tap.KeyEncoding{
		"a small listpack sorted set loaded as a skiplist (mutant persist_types.go:107:6)": key(tap.TypeZset,
			tap.EncodeZset([]tap.ZsetMember{{Member: "a", Score: 1}}), "skiplist"),
		"a hash at hash-max-listpack-entries converted (mutant persist_types.go:64:21)": key(tap.TypeHash,
			tap.EncodeHash([][2]string{{"a", "1"}, {"b", "2"}}), "hashtable"),
		"a set over set-max-intset-entries kept as an intset": key(tap.TypeSet, tap.EncodeSet([]string{"1", "2", "3", "4"}), "intset"),
		"an integer string as embstr":                         key(tap.TypeString, "42", "embstr"),
		"a 45-byte string as embstr":                          key(tap.TypeString, long[:45], "embstr"),
	} {
		t.Run(name, func(t *testing.T) {
			v := CheckLoadEncodings([]LoadEncodings{{Node: "n1", Limits: lim, Keys: []tap.KeyEncoding{bad}}})
			require.Len(t, v, 1)
			assert.Equal(t, PropLoadEncoding, v[0].Check)
		})
	}
}
