package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAOFTimestampsIncrease(t *testing.T) {
	set := string(enc(cmd("SET", "k", "1")))
	file := func(own string, sizeUnknown bool) []ManifestFile {
		return []ManifestFile{{Node: "n1", LastIncr: "appendonly.aof.2.incr.aof", LastIncrOwn: []byte(own), SizeUnknown: sizeUnknown}}
	}
	assert.Empty(t, CheckAOFTimestamps(file("#TS:100\r\n"+set+set+"#TS:101\r\n"+set+"#TS:105\r\n"+set, false)))
	// One annotation per second: a second one in the same second fails,
	// as does one for an earlier second (a clock that went back).
	for _, own := range []string{"#TS:100\r\n" + set + "#TS:100\r\n" + set, "#TS:100\r\n" + set + "#TS:99\r\n" + set} {
		v := CheckAOFTimestamps(file(own, false))
		require.Len(t, v, 1, own)
		assert.Equal(t, "aof_timestamps", v[0].Check)
		assert.Contains(t, v[0].Detail, "Redis annotates only when the second passed the last annotation's")
		assert.Empty(t, CheckAOFTimestamps(file(own, true)), "pages dropped: not judged")
	}
	// What cannot be read as commands is left alone from there on.
	assert.Empty(t, CheckAOFTimestamps(file("#TS:100\r\n*2\r\n$3\r\nGE#TS:100\r\n", false)))
	assert.Empty(t, CheckAOFTimestamps(file("garbage\r\n#TS:100\r\n#TS:100\r\n", false)))
}

// A process's first feed is annotated: in the file it opened at its start,
// with aof-timestamp-enabled yes all along, what it wrote begins with one.
func TestAOFTimestampsFirstFeedAnnotated(t *testing.T) {
	set := string(enc(cmd("SET", "k", "1")))
	file := func(own string, fromStart, always bool) []ManifestFile {
		return []ManifestFile{{Node: "n1", LastIncr: "appendonly.aof.2.incr.aof", LastIncrOwn: []byte(own), OwnFromStart: fromStart, TimestampsAlways: always}}
	}
	v := CheckAOFTimestamps(file(set+"#TS:101\r\n"+set, true, true))
	require.Len(t, v, 1)
	assert.Contains(t, v[0].Detail, "the process's first write there begins")
	assert.Empty(t, CheckAOFTimestamps(file("#TS:100\r\n"+set, true, true)))
	assert.Empty(t, CheckAOFTimestamps(file("", true, true)), "nothing written")
	assert.Empty(t, CheckAOFTimestamps(file(set, false, true)), "a file opened later (a rewrite's): the second may have been annotated before")
	assert.Empty(t, CheckAOFTimestamps(file(set, true, false)), "annotations off at some time")
}
