package cluster

import (
	"testing"

	"github.com/replsim/replsim/node/resp"
	"github.com/stretchr/testify/assert"
)

func TestMultiCuts(t *testing.T) {
	var data []byte
	at := map[string]int{}
	for _, c := range [][]string{{"SELECT", "0"}, {"SET", "a", "1"}, {"MULTI"}, {"SET", "b", "2"}, {"INCR", "c"}, {"EXEC"}, {"DEL", "a"}} {
		data = resp.AppendCommandStrings(data, c...)
		at[c[0]+" "+c[len(c)-1]] = len(data)
	}
	assert.Equal(t, []int{at["SET 2"], at["INCR c"]}, multiCuts(data), "after each whole command inside the MULTI")
	withTS := append([]byte("#TS:1700000000\r\n"), data...)
	assert.Len(t, multiCuts(withTS), 2, "annotations are skipped")
	assert.Empty(t, multiCuts(data[:at["SET 2"]-1]), "a torn command inside the MULTI is no cut")
}
