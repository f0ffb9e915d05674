package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/replsim/replsim/node"
	"github.com/replsim/replsim/vfs/osfs"
)

const serverUsage = `usage: replsim server [/path/to/redis.conf] [--directive value ...]

Runs the replsim node as a Redis-compatible server on real TCP, taking its
configuration the way redis-server does: an optional redis.conf, then
command-line directives that override it, e.g.

  replsim server conf/redis-6380.conf --slaveof 127.0.0.1 6379
  replsim server --port 6380 --save "" --appendonly no
`

// Command is `replsim server`: it takes its configuration as redis-server
// does, serves until a signal or SHUTDOWN, and returns the process exit
// status.
func Command(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "-h", "--help":
			fmt.Fprint(stdout, serverUsage)
			return 0
		case "-v", "--version":
			fmt.Fprintf(stdout, "replsim server v=%s (a Redis %s-compatible node)\n", node.RedisVersion, node.RedisVersion)
			return 0
		}
	}
	cfg, warns, ok := loadServerConfig(args, stderr)
	if !ok {
		return 1
	}
	logw, closeLog, err := openLog(cfg, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "\n*** FATAL CONFIG FILE ERROR (Redis %s) ***\nCan't open the log file: %s\n", node.RedisVersion, osfs.Strerror(err))
		return 1
	}
	defer closeLog()
	log := newRedisLog(logw)
	log.logf(logWarning, "oO0OoO0OoO0Oo replsim server is starting oO0OoO0OoO0Oo")
	log.logf(logWarning, "replsim server (Redis %s compatible), pid=%d, just started", node.RedisVersion, os.Getpid())
	if cfg.ConfigFile == "" {
		log.logf(logWarning, "Warning: no config file specified, using the default config. In order to specify a config file use replsim server /path/to/redis.conf")
	} else {
		log.logf(logWarning, "Configuration loaded")
	}
	for _, w := range warns {
		log.logf(logWarning, "Warning: %s", w)
	}

	startPprof(log)
	s, err := newServer(cfg, log)
	if errors.Is(err, errLogged) {
		return 1 // the node has said why, in Redis's words
	}
	if err != nil {
		log.logf(logWarning, "%v", err)
		if logw != stdout {
			fmt.Fprintf(stderr, "replsim server: %v\n", err)
		}
		return 1
	}
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	return s.run(context.Background(), sigs)
}

// loadServerConfig reads the config file and options in args. On failure
// it prints redis-server's message to stderr and returns ok false.
func loadServerConfig(args []string, stderr io.Writer) (cfg node.Config, warns []node.Warning, ok bool) {
	file, opts, err := node.SplitServerArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "replsim server: %v\n", err)
		return cfg, nil, false
	}
	cwd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "replsim server: %v\n", err)
		return cfg, nil, false
	}
	src := node.ConfigSource{Options: opts}
	if file != "" {
		abs, err := filepath.Abs(file)
		if err != nil {
			abs = file
		}
		text, err := os.ReadFile(abs)
		if err != nil {
			fmt.Fprintf(stderr, "Fatal error, can't open config file '%s': %s\n", abs, osfs.Strerror(err))
			return cfg, nil, false
		}
		src.FileName, src.FileText = abs, string(text)
	}
	cur := cwd
	src.Chdir = func(dir string) (string, error) {
		abs, err := osfs.ResolveDir(cur, dir)
		if err == nil {
			cur = abs
		}
		return abs, err
	}
	cfg, warns, err = node.ParseConfig(src)
	if err != nil {
		var ce *node.ConfigError
		if errors.As(err, &ce) {
			fmt.Fprintf(stderr, "\n%s\n", ce.Error())
			if ce.Where != "" {
				fmt.Fprintf(stderr, "(%s)\n", ce.Where)
			}
		} else {
			fmt.Fprintf(stderr, "replsim server: %v\n", err)
		}
		return cfg, nil, false
	}
	if !filepath.IsAbs(cfg.Dir) {
		cfg.Dir = filepath.Join(cwd, cfg.Dir)
	}
	if file != "" {
		cfg.ConfigFile = src.FileName
	}
	return cfg, warns, true
}

// openLog opens logfile (relative to dir, where redis-server would have
// chdir'ed) for appending; an empty logfile means stdout, as in Redis.
func openLog(cfg node.Config, stdout io.Writer) (io.Writer, func(), error) {
	if cfg.LogFile == "" {
		return stdout, func() {}, nil
	}
	p := cfg.LogFile
	if !filepath.IsAbs(p) {
		p = filepath.Join(cfg.Dir, p)
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}
