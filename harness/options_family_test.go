package harness

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Options.Families names families of the workload table: another name is
// refused before any run.
func TestFamiliesValidated(t *testing.T) {
	assert.NoError(t, Options{Seed: 1, Families: []string{"zset", "list"}}.Validate())
	err := Options{Seed: 1, Families: []string{"zsets"}}.Validate()
	if assert.Error(t, err) {
		assert.Contains(t, err.Error(), `unknown family "zsets"`)
	}
}
