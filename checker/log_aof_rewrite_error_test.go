package checker

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRewriteErrorNeedsDiskFault(t *testing.T) {
	failed := append(aofRewriteLog(3)[:2], line(4, logAOFRWErrorBare))
	// A failed write of the child's temp file explains it.
	fault := DiskFault{At: 3_500_000_000, Node: "n1", Op: "write", Path: "appendonlydir/temp-rewriteaof-bg-1.aof"}
	assert.Empty(t, rewriteErrorsFaulted(LogInput{Lines: failed, DiskFaults: []DiskFault{fault}}))
	// A success needs nothing.
	assert.Empty(t, rewriteErrorsFaulted(LogInput{Lines: aofRewriteLog(3)}))

	// Without a fault, or with one before the rewrite or on another node,
	// the child had no reason to fail.
	early, other := fault, fault
	early.At = 2_000_000_000
	other.Node = "n2"
	for _, faults := range [][]DiskFault{nil, {early}, {other}} {
		vs := rewriteErrorsFaulted(LogInput{Lines: failed, DiskFaults: faults})
		require.Len(t, vs, 1, "%v", faults)
		assert.Contains(t, vs[0].Detail, "no disk fault hit the node since the rewrite started at 3.000000s")
	}
	// CheckNodeLog runs the rule.
	found := false
	for _, v := range CheckNodeLog(LogInput{Lines: failed}) {
		found = found || strings.Contains(v.Detail, "no disk fault hit the node")
	}
	assert.True(t, found)
}
