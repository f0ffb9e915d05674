package cluster

import (
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node"
)

// confPath is every simulated node's config file. The file lives outside
// the data directory: a wiped disk keeps it.
const confPath = "/etc/redis/redis.conf"

var _ node.ConfigFileStore = (*simNode)(nil)

// ReadConfigFile implements node.ConfigFileStore.
func (s *simNode) ReadConfigFile(string) ([]byte, error) { return s.confFile, nil }

// WriteConfigFile implements node.ConfigFileStore.
func (s *simNode) WriteConfigFile(_ string, data []byte) error {
	s.confFile = append([]byte(nil), data...)
	return nil
}

// rewritten are the directives a CONFIG REWRITE must persist that the
// operator changes (op_config) or that the harness sets.
var rewritten = []string{
	"repl-backlog-size", "repl-timeout", "repl-ping-replica-period", "appendonly", "appendfsync", "save",
	"repl-diskless-sync", "repl-diskless-sync-delay", "replica-serve-stale-data", "replica-read-only",
	"client-output-buffer-limit", "requirepass", "masterauth", "shutdown-timeout",
	"min-replicas-to-write", "min-replicas-max-lag", "repl-backlog-ttl", "repl-diskless-sync-max-replicas",
	"shutdown-on-sigterm", "shutdown-on-sigint",
}

// rewriteConfig runs CONFIG REWRITE on s, as an operator does after a
// CONFIG SET, and records the directives of the running server and of the
// file read back, for checker.CheckConfigRewrites.
func (h *Cluster) rewriteConfig(s *simNode) {
	if err := h.execOK(s.name, "CONFIG", "REWRITE"); err != nil {
		return
	}
	live := s.node.Config()
	file, _, err := node.ParseConfig(node.ConfigSource{FileName: confPath, FileText: string(s.confFile)})
	r := checker.ConfigRewrite{At: int64(h.w.Now()), Node: s.name, Live: map[string]string{}, File: map[string]string{}}
	for _, name := range rewritten {
		r.Live[name], _ = node.DirectiveValue(&live, name)
		if err == nil {
			r.File[name], _ = node.DirectiveValue(&file, name)
		} else {
			r.File[name] = "(unreadable: " + err.Error() + ")"
		}
	}
	h.rec.rewrites = append(h.rec.rewrites, r)
}

// ConfigRewrites are the CONFIG REWRITEs the nodes answered OK.
func (h *Cluster) ConfigRewrites() []checker.ConfigRewrite { return h.rec.rewrites }
