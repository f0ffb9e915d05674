package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckAOFSizes(t *testing.T) {
	const text = "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\n" +
		"file appendonly.aof.2.incr.aof seq 2 type i\nfile \"a b.aof.3.incr.aof\" seq 3 type i\n"
	file := func(current string) ManifestFile {
		return ManifestFile{Node: "n1", Text: text,
			Sizes: map[string]int64{"appendonly.aof.2.base.rdb": 100, "appendonly.aof.2.incr.aof": 40, "a b.aof.3.incr.aof": 2},
			Info:  "# Persistence\r\naof_enabled:1\r\naof_rewrite_in_progress:0\r\naof_current_size:" + current + "\r\naof_buffer_length:0\r\n"}
	}
	assert.Empty(t, CheckAOFSizes([]ManifestFile{file("142"), file("42")}), "with the base, or from nothing")
	v := CheckAOFSizes([]ManifestFile{file("100")})
	require.Len(t, v, 1)
	assert.Equal(t, "aof_sizes", v[0].Check)
	assert.Contains(t, v[0].Detail, "n1: INFO aof_current_size is 100, but its manifest's incr files hold 42 bytes and its base 100")

	unknown := file("100")
	unknown.SizeUnknown = true
	gone := file("100")
	delete(gone.Sizes, "appendonly.aof.2.base.rdb")
	busy := file("100")
	busy.Info += "aof_buffer_length:7\r\n"
	kept := file("100") // a rewrite's manifest Redis's memory never took
	kept.BaseUnlinkFailed = true
	twice := file("100") // read through a bit flip: Redis counted it twice at the load only
	twice.Text += "file appendonly.aof.2.incr.aof seq 4 type i\n"
	waiting := file("100")
	waiting.Waiting = true
	assert.Empty(t, CheckAOFSizes([]ManifestFile{unknown, gone, busy, kept, twice, waiting}))

	// A start with no AOF that found 12 bytes a failed rewrite left under
	// its incr file's name counts only what it appended (gate seed
	// 3071506); without the leftover those 30 bytes are wrong.
	leftover := file("30")
	assert.Len(t, CheckAOFSizes([]ManifestFile{leftover}), 1)
	leftover.IncrLeftover = 12
	assert.Empty(t, CheckAOFSizes([]ManifestFile{leftover}))
}

func TestCheckAOFBaseSize(t *testing.T) {
	const text = "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n" +
		"file appendonly.aof.3.incr.aof seq 3 type i\n"
	file := func(current, baseSize string) ManifestFile {
		return ManifestFile{Node: "n1", Text: text,
			Sizes: map[string]int64{"appendonly.aof.2.base.rdb": 100, "appendonly.aof.2.incr.aof": 40, "appendonly.aof.3.incr.aof": 2},
			Info: "# Persistence\r\naof_enabled:1\r\naof_rewrite_in_progress:0\r\naof_current_size:" + current +
				"\r\naof_base_size:" + baseSize + "\r\naof_buffer_length:0\r\n"}
	}
	// After a load: the base; after a rewrite: the base and the incr
	// bytes written while it ran; from nothing: 0.
	assert.Empty(t, CheckAOFSizes([]ManifestFile{file("142", "100"), file("142", "130"), file("142", "142"), file("42", "0")}))

	for _, c := range []struct{ current, base, want string }{
		// A load that took the first incr file (40) or the last (2) for
		// the base, or counted no base.
		{"142", "40", "between its manifest's base (100 bytes) and aof_current_size (142)"},
		{"142", "2", "between its manifest's base (100 bytes) and aof_current_size (142)"},
		{"142", "0", "between its manifest's base (100 bytes) and aof_current_size (142)"},
		{"142", "143", "between its manifest's base (100 bytes) and aof_current_size (142)"},
		// A start from nothing that set it.
		{"42", "40", "would be 0: aof_current_size counts only the incr files"},
	} {
		v := CheckAOFSizes([]ManifestFile{file(c.current, c.base)})
		require.Len(t, v, 1, "%+v", c)
		assert.Equal(t, "aof_sizes", v[0].Check)
		assert.Contains(t, v[0].Detail, "n1: INFO aof_base_size is "+c.base+", but Redis's would be")
		assert.Contains(t, v[0].Detail, c.want)
	}

	// A manifest without a base: 0 whatever the incr files hold.
	nobase := file("42", "40")
	nobase.Text = "file appendonly.aof.2.incr.aof seq 2 type i\nfile appendonly.aof.3.incr.aof seq 3 type i\n"
	require.Len(t, CheckAOFSizes([]ManifestFile{nobase}), 1)
	nobase = file("42", "0")
	nobase.Text = "file appendonly.aof.2.incr.aof seq 2 type i\nfile appendonly.aof.3.incr.aof seq 3 type i\n"
	assert.Empty(t, CheckAOFSizes([]ManifestFile{nobase}))

	unknown := file("142", "40")
	unknown.SizeUnknown = true
	assert.Empty(t, CheckAOFSizes([]ManifestFile{unknown}))
}
