package main

import (
	"fmt"
	"os"

	"github.com/replsim/replsim/node"
)

// raw writes text to the log as it is, with no line prefix (Redis's
// LL_RAW), as the startup logo is written.
func (l *redisLog) raw(text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprint(l.w, text)
}

// logRunningMode logs the startup logo when always-show-logo is set, and
// the "Running mode=" line otherwise, as redis-server does.
func logRunningMode(log *redisLog, cfg node.Config) {
	if cfg.AlwaysShowLogo {
		log.raw(node.Logo(cfg, os.Getpid()))
		return
	}
	log.logf(logNotice, "Running mode=standalone, port=%d.", cfg.Port)
}
