package server

import (
	"errors"
	"fmt"
	"net"
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

// listenFailed logs a failure to open the listening sockets the way Redis
// does, a warning naming the socket and then "Failed listening on port N
// (TCP), aborting.", which it returns as the error to exit with. It comes
// before the logo, so a server that could not listen prints no " PID: "
// line: Redis's test suite tells a port clash (it retries on another port)
// from a started server that way.
func listenFailed(log *redisLog, err error, port int) error {
	failed := fmt.Sprintf("Failed listening on port %d (TCP), aborting.", port)
	if err.Error() == failed {
		return err
	}
	log.logf(logWarning, "Warning: %v", err)
	return errors.New(failed)
}

func closeListeners(ls []net.Listener) {
	for _, l := range ls {
		l.Close()
	}
}
