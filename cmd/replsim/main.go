// Command replsim is the deterministic simulation and fault-injection
// harness for Redis-style replication. See README.md.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/replsim/replsim/server"
)

func main() {
	if filepath.Base(os.Args[0]) == "redis-server" {
		// Installed (linked or copied) as redis-server, replsim is the
		// server, taking redis-server's arguments: Redis's own test suite
		// starts src/redis-server this way.
		os.Exit(server.Command(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: replsim <command> [flags]

commands:
  run      run one seeded simulation and print its verdict
  bugs     list the planted bugs the checkers must catch
  chaos    sweep many seeds on all cores (sharding, reports, determinism check)
  shrink   minimize a failing seed to a small scenario script
  bench    measure simulation speed and time compression
  server   run a Redis-compatible server on real TCP (like redis-server)
  cover    node/ statement coverage of a chaos sweep
  mutate   mutation testing of node/ against chaos sweeps
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "run":
		return runCommand(args[1:], stdout, stderr)
	case "bugs":
		return bugsCommand(args[1:], stdout, stderr)
	case "chaos":
		return chaosCommand(args[1:], stdout, stderr)
	case "shrink":
		return shrinkCommand(args[1:], stdout, stderr)
	case "bench":
		return benchCommand(args[1:], stdout, stderr)
	case "server":
		return server.Command(args[1:], stdout, stderr)
	case "cover":
		return coverCommand(args[1:], stdout, stderr)
	case "mutate":
		return mutateCommand(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "replsim: unknown command %q\n%s", args[0], usage)
	return 2
}
