package node

// aofRewriteLimitThreshold and aofRewriteLimitMaxMin are
// AOF_REWRITE_LIMITE_THRESHOLD and AOF_REWRITE_LIMITE_MAX_MINUTES.
const (
	aofRewriteLimitThreshold = 3
	aofRewriteLimitMaxMin    = 60
)

// aofRewriteLimited is aofRewriteLimited: after three rewrites in a row
// failed, the cron's next one waits a minute, then two, four... up to an
// hour, between attempts. BGREWRITEAOF does not wait.
func (n *Node) aofRewriteLimited() bool {
	a := &n.persist().aof
	if a.rwFailures < aofRewriteLimitThreshold {
		a.rwDelayMin, a.rwNextTry = 0, 0
		return false
	}
	now := n.nowSec()
	if a.rwNextTry != 0 {
		if now < a.rwNextTry {
			return true
		}
		a.rwNextTry = 0
		return false
	}
	a.rwDelayMin = min(max(a.rwDelayMin*2, 1), aofRewriteLimitMaxMin)
	a.rwNextTry = now + a.rwDelayMin*60
	n.logWarning("Background AOF rewrite has repeatedly failed and triggered the limit, will retry in %d minutes", a.rwDelayMin)
	return true
}
