package listpack

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func element() *rapid.Generator[string] {
	return rapid.OneOf(
		rapid.StringN(0, 80, -1),
		rapid.Map(rapid.Int64(), func(v int64) string { return strconv.FormatInt(v, 10) }),
		rapid.Map(rapid.IntRange(-5000, 5000), strconv.Itoa),
		rapid.Map(rapid.IntRange(0, 5000), func(n int) string { return string(make([]byte, n)) }),
		rapid.SampledFrom([]string{"0", "-0", "01", "+1", "127", "128", "-4096", "-4097", "32767", "8388608", "2147483648"}),
	)
}

func contents(t require.TestingT, lp []byte) []string {
	n, err := Validate(lp)
	require.NoError(t, err)
	require.Equal(t, n, Len(lp))
	var out []string
	for p := First(lp); p != End(lp); p = Next(lp, p) {
		out = append(out, Get(lp, p).String())
	}
	// Walking backwards gives the same elements.
	i := len(out)
	for p := Prev(lp, End(lp)); p >= 0; p = Prev(lp, p) {
		i--
		require.Equal(t, out[i], Get(lp, p).String())
	}
	require.Zero(t, i)
	return out
}

// TestListpackModel checks every operation against a plain slice.
func TestListpackModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		lp := New()
		var model []string
		for range rapid.IntRange(0, 40).Draw(t, "ops") {
			switch op := rapid.IntRange(0, 4).Draw(t, "op"); {
			case op == 0 || len(model) == 0:
				s := element().Draw(t, "s")
				lp = Append(lp, []byte(s))
				model = append(model, s)
			case op == 1:
				i := rapid.IntRange(0, len(model)).Draw(t, "at")
				s := element().Draw(t, "s")
				p := End(lp)
				if i < len(model) {
					p = Seek(lp, i)
				}
				lp = Insert(lp, p, []byte(s))
				model = append(model[:i], append([]string{s}, model[i:]...)...)
			case op == 2:
				i := rapid.IntRange(0, len(model)-1).Draw(t, "at")
				k := rapid.IntRange(1, len(model)-i).Draw(t, "k")
				lp = Delete(lp, Seek(lp, i), k)
				model = append(model[:i], model[i+k:]...)
			case op == 3:
				i := rapid.IntRange(0, len(model)-1).Draw(t, "at")
				s := element().Draw(t, "s")
				lp = Replace(lp, Seek(lp, i), []byte(s))
				model[i] = s
			default:
				i := rapid.IntRange(-len(model), len(model)-1).Draw(t, "seek")
				j := i
				if j < 0 {
					j += len(model)
				}
				require.Equal(t, model[j], Get(lp, Seek(lp, i)).String())
				require.True(t, Get(lp, Seek(lp, i)).Equal([]byte(model[j])))
			}
			require.Equal(t, nilIfEmpty(model), nilIfEmpty(contents(t, lp)))
		}
		require.Equal(t, lp, FromStrings(model), "same bytes as built at once")
	})
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// TestListpackKnownBytes pins encodings to what Redis writes.
func TestListpackKnownBytes(t *testing.T) {
	// A hash {a: 1} as Redis 7.0 stores it: 6-byte header, "a" as a 6-bit
	// string, 1 as a 7-bit uint, each with its back-length, terminator.
	require.Equal(t, []byte{12, 0, 0, 0, 2, 0, 0x81, 'a', 2, 1, 1, 0xFF}, FromStrings([]string{"a", "1"}))
	require.Equal(t, []byte{0xC0 | 0x1F, 0xFF, 2}, appendEntry(nil, []byte("-1")))
	require.Equal(t, []byte{0xF1, 0x00, 0x80, 3}, appendEntry(nil, []byte("-32768")))
}

func TestValidateRejects(t *testing.T) {
	good := FromStrings([]string{"abc", "12345", "x"})
	for i := range good {
		bad := append([]byte(nil), good...)
		bad[i] ^= 0x55
		_, _ = Validate(bad) // never panics
	}
	for k := 0; k < len(good); k++ {
		_, err := Validate(good[:k])
		require.Error(t, err)
	}
}
