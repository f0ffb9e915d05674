package redisproc

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestWaitUntilTheConditionHolds(t *testing.T) {
	calls := 0
	err := Wait(time.Second, func() (bool, error) { calls++; return calls == 3, nil })
	assert.NoError(t, err)
	assert.Equal(t, 3, calls)
}

func TestWaitStopsAtTheConditionsError(t *testing.T) {
	boom := errors.New("boom")
	calls := 0
	err := Wait(time.Second, func() (bool, error) { calls++; return false, boom })
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, 1, calls)
}

func TestWaitGivesUpAtTheTimeout(t *testing.T) {
	began := time.Now()
	err := WaitEvery(50*time.Millisecond, time.Millisecond, func() (bool, error) { return false, nil })
	assert.EqualError(t, err, "not within 50ms")
	assert.GreaterOrEqual(t, time.Since(began), 50*time.Millisecond)
	assert.Less(t, time.Since(began), 2*time.Second)
}
