package server

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// defaultBind is where the server listens when the config names no bind
// address. Redis 7.0 listens on "* -::*" (every interface) by default;
// replsim stays on loopback unless told otherwise.
var defaultBind = []string{"127.0.0.1"}

// listenAddrs opens a listener on port for every bind address. As in
// Redis, "*" means every IPv4 interface, "::*" every IPv6 one, and a
// leading "-" makes an address optional (skipped when it cannot be bound).
func listenAddrs(bind []string, port int) ([]net.Listener, error) {
	if len(bind) == 0 {
		bind = defaultBind
	}
	var ls []net.Listener
	for _, b := range bind {
		optional := strings.HasPrefix(b, "-")
		host := strings.TrimPrefix(b, "-")
		network := "tcp"
		switch host {
		case "*":
			host, network = "0.0.0.0", "tcp4"
		case "::*":
			host, network = "::", "tcp6"
		}
		l, err := net.Listen(network, net.JoinHostPort(host, strconv.Itoa(port)))
		if err != nil {
			if optional {
				continue
			}
			for _, o := range ls {
				o.Close()
			}
			return nil, fmt.Errorf("Could not create server TCP listening socket %s:%d: %w", b, port, err)
		}
		ls = append(ls, l)
	}
	if len(ls) == 0 {
		return nil, fmt.Errorf("Failed listening on port %d (TCP), aborting.", port)
	}
	return ls, nil
}

// acceptLoop hands every accepted connection to the loop until l closes.
func (s *server) acceptLoop(l net.Listener) {
	for {
		nc, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			s.log.logf(logWarning, "Accepting client connection: %v", err)
			select { // e.g. out of file descriptors: do not spin
			case <-time.After(10 * time.Millisecond):
			case <-s.done:
				return
			}
			continue
		}
		s.post(func() { s.onAccept(nc) })
	}
}

func (s *server) startListeners(ls []net.Listener, bind []string, port int) {
	s.listeners, s.listenBind, s.listenPort = ls, bind, port
	for _, l := range ls {
		if s.poll != nil && s.poll.addListener(l) {
			continue
		}
		s.wg.Add(1)
		go func() { defer s.wg.Done(); s.acceptLoop(l) }()
	}
}

// relisten swaps the listeners for ones on bind/port. As in Redis, a new
// port is opened before the old one closes; a new bind list on the same
// port must close the old sockets first, and reopens them if the new
// addresses cannot be bound. Loop only.
func (s *server) relisten(bind []string, port int) error {
	if port != s.listenPort {
		ls, err := listenAddrs(bind, port)
		if err != nil {
			s.log.logf(logWarning, "%v", err)
			return err
		}
		s.closeListeners()
		s.startListeners(ls, bind, port)
		return nil
	}
	oldBind := s.listenBind
	s.closeListeners()
	ls, err := listenAddrs(bind, port)
	if err != nil {
		s.log.logf(logWarning, "%v", err)
		old, err2 := listenAddrs(oldBind, port)
		if err2 != nil {
			s.log.logf(logWarning, "Failed to restore old bind addresses: %v", err2)
			return err
		}
		s.startListeners(old, oldBind, port)
		return err
	}
	s.startListeners(ls, bind, port)
	return nil
}

func (s *server) closeListeners() {
	for _, l := range s.listeners {
		if s.poll != nil {
			s.poll.removeListener(l)
		}
		l.Close()
	}
	s.listeners = nil
}

// Addrs returns the addresses the server listens on.
func (s *server) Addrs() []net.Addr {
	var out []net.Addr
	for _, l := range s.listeners {
		out = append(out, l.Addr())
	}
	return out
}
