package rdb

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestReplInfo(t *testing.T) {
	id := strings.Repeat("a", 40)
	s := &Snapshot{Aux: StandardReplAux("7.0.15", 0, 0, 3, id, 99)}
	gotID, off, db, ok := s.ReplInfo()
	assert.True(t, ok)
	assert.Equal(t, id, gotID)
	assert.Equal(t, int64(99), off)
	assert.Equal(t, 3, db)
	for _, bad := range []*Snapshot{
		{Aux: StandardReplAux("7.0.15", 0, 0, 3, "short", 99)},
		{Aux: StandardReplAux("7.0.15", 0, 0, 3, id, -1)},
		{Aux: StandardReplAux("7.0.15", 0, 0, -1, id, 99)},
		{Aux: StandardAux("7.0.15", 0, 0)},
	} {
		_, _, _, ok := bad.ReplInfo()
		assert.False(t, ok, "%v", bad.Aux)
	}
}
