package harness

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A new password that every node follows leaves a wrong masterauth wrong
// until its own fault ends, and the replica stays out meanwhile (Redis
// aborts the handshake on WRONGPASS); the access check agrees.
func TestFollowPassKeepsWrongMasterAuth(t *testing.T) {
	sched := mustParse(t, `
seed 5
topology replicas=1 chained=0 clients=1
swarm auth_wrong_masterauth,auth_requirepass_change
at 0.200000 auth_wrong_masterauth n2 for=1.000000
at 0.300000 auth_requirepass_change n1 pass=pw1 for=0.100000
`)
	res := Run(Options{Seed: 5, Schedule: &sched, Ops: 300, KeepTrace: true})
	var follow, end, fixed, refused int
	for i, l := range res.Trace {
		switch {
		case strings.Contains(l, "fault auth_follow") && follow == 0:
			follow = i
		case strings.Contains(l, "fault auth_wrong_masterauth_end n2"):
			end = i
		case strings.Contains(l, "op n2 CONFIG SET masterauth pw1") && fixed == 0:
			fixed = i
		case strings.Contains(l, "n2 log: Unable to AUTH to MASTER: -WRONGPASS") && follow > 0 && end == 0:
			refused++
		}
	}
	require.NotZero(t, follow)
	require.NotZero(t, end)
	assert.Greater(t, fixed, end, "n2's masterauth is fixed only when its fault ends")
	assert.NotZero(t, refused, "n1 refused n2's wrong password meanwhile")
	for _, v := range res.Violations {
		assert.NotEqual(t, "access", v.Check, v.Detail)
	}
}
