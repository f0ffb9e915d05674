package redistest

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRecordSourcesNeedsAModulePackage(t *testing.T) {
	require.NoError(t, recordSources("github.com/replsim/replsim/node/resp"))
	assert.ErrorContains(t, recordSources("strings"), "no package of the main module")
	assert.Error(t, recordSources("github.com/replsim/replsim/nosuch"))
}

func TestBinaryBuildsOnceAndRemoves(t *testing.T) {
	b := &Binary{Pkg: "github.com/replsim/replsim/internal/redistest/testdata/hello"}
	p := b.Path(t)
	assert.Equal(t, p, b.Path(t), "built once")
	info, err := os.Stat(p)
	require.NoError(t, err)
	assert.NotZero(t, info.Mode()&0o111, "executable")
	b.Remove()
	_, err = os.Stat(p)
	assert.True(t, os.IsNotExist(err))
}
