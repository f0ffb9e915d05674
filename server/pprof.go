package server

import (
	"net"
	"net/http"
	"net/http/pprof"
	"os"
)

// pprofEnv names the environment variable that, set to a loopback address
// such as 127.0.0.1:6060, makes `replsim server` serve Go's profiles
// (/debug/pprof/...) there, for `go tool pprof` under load.
const pprofEnv = "REPLSIM_PPROF"

// startPprof serves the profiles when pprofEnv asks for it.
func startPprof(log *redisLog) {
	addr := os.Getenv(pprofEnv)
	if addr == "" {
		return
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		log.logf(logWarning, "%s: %v", pprofEnv, err)
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	log.logf(logNotice, "Serving Go profiles on http://%s/debug/pprof/", l.Addr())
	go func() { _ = http.Serve(l, mux) }()
}
