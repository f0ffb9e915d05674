package redisproc

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// killTimeout bounds how long Kill waits for a killed process to be reaped.
const killTimeout = 10 * time.Second

// Signal sends sig to the process (SIGSTOP freezes it, SIGCONT thaws it).
func (s *Server) Signal(sig os.Signal) error { return s.cmd.Process.Signal(sig) }

// Kill kills the process (thawing it first, should it be stopped) and
// waits until it is reaped. Killing an exited server does nothing.
func (s *Server) Kill() error {
	select {
	case <-s.done:
		return nil
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGCONT)
	if err := s.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	select {
	case <-s.done:
		return nil
	case <-time.After(killTimeout):
		return fmt.Errorf("%s (pid %d) killed but not gone after %v", filepath.Base(s.bin), s.cmd.Process.Pid, killTimeout)
	}
}

// Stop asks the server to shut down (SIGTERM) and waits up to timeout for
// it to exit; past that it kills it and says so.
func (s *Server) Stop(timeout time.Duration) error {
	select {
	case <-s.done:
		return nil
	default:
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	select {
	case <-s.done:
		return nil
	case <-time.After(timeout):
	}
	if err := s.Kill(); err != nil {
		return err
	}
	return fmt.Errorf("%s did not exit within %v of SIGTERM; killed", filepath.Base(s.bin), timeout)
}
