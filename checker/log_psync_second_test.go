package checker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSecondIDRefusalNeedsAnOffsetPastIt(t *testing.T) {
	line := func(asked, upTo string) LogLine {
		return LogLine{Node: "n1", Format: logNotAcceptedOff, Args: []string{asked, upTo},
			Msg: "Partial resynchronization not accepted: Requested offset for second ID was " + asked + ", but I can reply up to " + upTo}
	}
	assert.Empty(t, checkSecondIDRefusals([]LogLine{line("1001", "1000")}), "Redis's refusal")
	for _, asked := range []string{"1000", "999"} {
		v := checkSecondIDRefusals([]LogLine{line(asked, "1000")})
		require.Len(t, v, 1, asked)
		assert.Contains(t, v[0].Detail, "continues one at or before it")
	}
}
