package checker

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// backlogHistory: n1 streams three commands (the second rewritten later
// at the same offsets by a new history after a full sync), then serves
// its backlog from the second byte of the second command on.
func backlogHistory() BacklogInput {
	return BacklogInput{
		Chunks: []StreamChunk{
			{Seq: 1, Node: "n1", Start: 0, Data: []byte("AAAA")},
			{Seq: 2, Node: "n1", Start: 4, Data: []byte("bbbb")},
			{Seq: 3, Node: "n2", Start: 4, Data: []byte("zzzz")},
			{Seq: 4, Node: "n1", Start: 4, Data: []byte("BBBB")}, // a later history at the same offsets
			{Seq: 6, Node: "n1", Start: 8, Data: []byte("CCCC")}, // after the serve
		},
		Serves: []BacklogServe{{Seq: 5, Node: "n1", Replica: "n3", First: 6, Data: []byte("BBB")}},
	}
}

func TestBacklogServesMatchTheStream(t *testing.T) {
	assert.Empty(t, CheckBacklogServes(backlogHistory()))
	in := backlogHistory()
	in.Serves[0].Data = []byte("BBb") // the older history's byte
	v := CheckBacklogServes(in)
	if assert.Len(t, v, 1) {
		assert.Equal(t, "backlog", v[0].Check)
		assert.Contains(t, fmt.Sprint(v), `n1 served n3 a partial resync of 3 bytes from offset 6; the byte at offset 8 is 'b', its stream had 'B' there`)
	}
	in = backlogHistory()
	in.Serves[0].Data = []byte("BBBC") // a byte the stream had not yet: not judged
	assert.Empty(t, CheckBacklogServes(in))
	in = backlogHistory()
	in.Serves[0].First = 5 // one offset early: "BBB" where the stream has "BBB" too
	assert.Empty(t, CheckBacklogServes(in))
	in.Serves[0].First = 3
	assert.NotEmpty(t, CheckBacklogServes(in), "AB... served where the stream has AA...")
}
