// Package server is the real TCP driver behind `replsim server`: it runs the
// same sans-IO node the simulator runs, with the operating system as its
// environment. One goroutine (the event loop) owns the node; accepted
// sockets, read chunks, timer ticks and finished background saves reach it
// over a channel, as Redis's event loop does in C. The files are the driver
// itself (server.go), connections (conn.go), listeners (listen.go), the
// node's environment (realenv.go), the log in Redis's format (log.go) and
// the command line (cmd.go).
package server
