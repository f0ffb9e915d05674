package checker

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLogOffsetsAgree(t *testing.T) {
	oldID, newID := strings.Repeat("a", 40), strings.Repeat("b", 40)
	line := func(at, off int64, format string, args ...string) LogLine {
		return LogLine{Node: "n2", At: at, ReplOffset: off, Format: format, Args: args, Msg: format}
	}
	good := []LogLine{
		line(1, 99, logTryPartial, oldID, "100"),
		line(2, 150, logPartialOK, "n3:6379", "51", "100"),
		line(3, 150, logSecondaryID, oldID, "151", newID),
		line(3, 150, logReplicaLost, "n3:6379"),
		line(3, 150, logMasterMode, "x"),
	}
	assert.Empty(t, logOffsetsAgree(good))

	for name, c := range map[string]struct {
		lines []LogLine
		want  string
	}{
		"a request past the replica's offset": {[]LogLine{line(1, 99, logTryPartial, oldID, "101")}, "the byte after the last it has, 100"},
		"a backlog of the wrong length":       {[]LogLine{line(2, 150, logPartialOK, "n3:6379", "50", "100")}, "is 51 bytes"},
		"the old history cut short":           {[]LogLine{line(3, 150, logSecondaryID, oldID, "150", newID)}, "valid up to the byte after its last, 151"},
		"the same ID kept":                    {[]LogLine{line(3, 150, logSecondaryID, oldID, "151", oldID)}, "fresh 40-hex ID"},
		"master mode without a shift":         {[]LogLine{line(3, 150, logReplicaLost, "n3:6379"), line(3, 150, logMasterMode, "x")}, "shifts its replication ID first"},
		"the shift at another instant":        {[]LogLine{line(2, 150, logSecondaryID, oldID, "151", newID), line(3, 150, logMasterMode, "x")}, "shifts its replication ID first"},
	} {
		v := logOffsetsAgree(c.lines)
		if assert.Len(t, v, 1, name) {
			assert.Contains(t, v[0].Detail, c.want, name)
		}
	}
}
