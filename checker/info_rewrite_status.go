package checker

import "strings"

// rewriteFailures are the lines after which Redis 7.0.15 sets
// aof_lastbgrewrite_status to C_ERR (aof.c), by prefix:
//   - rewriteAppendOnlyFileBackground refused to start: appenddirname
//     could not be created, the new incr file could not be opened (openNewIncrAofForAppend) or its manifest not
//     persisted (the node's own line after writeAofManifestFile's), or
//     the fork failed;
//   - startAppendOnly's line when that call failed;
//   - backgroundRewriteDoneHandler: the child failed, the base or incr file
//     could not be renamed, or the manifest not persisted (the node's own
//     line; Redis logs only writeAofManifestFile's).
//
// A rewrite killed (killAppendOnlyChild, SIGUSR1) leaves the status as is;
// the node has no child that another signal could end.
var rewriteFailures = []string{
	"Can't open or create append-only dir ",
	"Can't open the append-only file ",
	"Can't persist the AOF manifest: ",
	"Can't rewrite append only file in background: fork: ",
	"Redis needs to enable the AOF but can't trigger a background AOF rewrite operation.",
	"Background AOF rewrite terminated with error",
	"Error trying to rename the temporary AOF base file ",
	"Error trying to rename the temporary AOF incr file ",
	"Can't persist the AOF manifest after the rewrite",
}

// logRewriteOK is the done handler's line after it set the status to C_OK.
const logRewriteOK = "Background AOF rewrite finished successfully"

// rewriteStatusAfter is aof_last_bgrewrite_status after a line whose text
// is msg, given the status before it ("ok" from the process's start,
// initServer; CONFIG RESETSTAT keeps it).
func rewriteStatusAfter(status, msg string) string {
	if msg == logRewriteOK {
		return "ok"
	}
	for _, p := range rewriteFailures {
		if strings.HasPrefix(msg, p) {
			return "err"
		}
	}
	return status
}
