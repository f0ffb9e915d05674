package redisproc

import (
	"fmt"
	"time"
)

// PollInterval is how often Wait asks its condition.
const PollInterval = 5 * time.Millisecond

// Wait asks cond every PollInterval until it holds, it returns an error
// (Wait returns it), or timeout passes (Wait says so).
func Wait(timeout time.Duration, cond func() (bool, error)) error {
	return WaitEvery(timeout, PollInterval, cond)
}

// WaitEvery is Wait asking cond every interval.
func WaitEvery(timeout, interval time.Duration, cond func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := cond()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not within %v", timeout)
		}
		time.Sleep(interval)
	}
}
