package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The replsim binary does not link package testing (its flags would be
// registered, and test helpers that call t.Fatal do not belong in a
// program): the bench starts real servers through internal/redisproc, not
// internal/redistest.
func TestBinaryDoesNotImportTesting(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/replsim/replsim/cmd/replsim").Output()
	require.NoError(t, err)
	deps := strings.Fields(string(out))
	assert.Contains(t, deps, "github.com/replsim/replsim/internal/redisproc", "the listing is the real one")
	assert.NotContains(t, deps, "testing")
}
