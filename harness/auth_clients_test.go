package harness

import (
	"testing"

	"github.com/replsim/replsim/checker"
	"github.com/stretchr/testify/assert"
)

// TestBadAuthClientsFeedAccess: over a few seeds, the clients that
// authenticate badly (cluster/clients_auth.go) get refused with NOAUTH and
// WRONGPASS, and also get in where Redis lets them (a connection made
// before the password, or the right password), so the access rule for
// them is fed both ways; and every such seed passes.
func TestBadAuthClientsFeedAccess(t *testing.T) {
	counts := map[string]int{}
	for _, res := range sweep(seedRange(1, 40), Options{}) {
		assert.True(t, res.Passed(), "seed %d: %v", res.Seed, res.Violations)
		for i := range res.MasterOps {
			op := &res.MasterOps[i]
			if op.Auth == nil || op.Unknown {
				continue
			}
			switch {
			case op.IsAuth() && op.Err == checker.ReplyWrongPass:
				counts["auth wrongpass"]++
			case op.IsAuth() && op.Err == "":
				counts["auth ok"]++
			case op.Err == checker.ReplyNoAuth:
				counts["noauth"]++
			case op.Err == "":
				counts["ran"]++
			}
		}
	}
	t.Logf("bad-auth clients' replies over 40 seeds: %v", counts)
	for _, k := range []string{"auth wrongpass", "auth ok", "noauth", "ran"} {
		assert.Positive(t, counts[k], k)
	}
}
