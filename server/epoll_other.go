//go:build !linux

package server

import (
	"context"
	"net"
	"os"
	"time"
)

// poller is the epoll driver, Linux only: elsewhere the server runs a
// goroutine per connection.
type poller struct{}

func newPoller() *poller { return nil }

func (p *poller) wake()                                         {}
func (p *poller) addListener(l net.Listener) bool               { return false }
func (p *poller) removeListener(l net.Listener)                 {}
func (s *server) runPoll(context.Context, <-chan os.Signal) int { panic("no epoll") }
func (s *server) drainPoll(<-chan struct{}, time.Duration)      {}
