package mutation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// outcome is how one child process ended.
type outcome struct {
	exit     int  // exit status; -1 when killed by a signal
	timedOut bool // the context's deadline killed it
	tooBig   bool // its resident memory passed the limit and it was killed
	stdout   []byte
	stderr   []byte // the first stderrKeep bytes
}

const stderrKeep = 64 << 10

// runLimited runs name args in dir with ctx's deadline and, when
// memLimit > 0, kills it if its resident memory grows past memLimit bytes
// (a mutant can allocate without bound; the machine is shared).
func runLimited(ctx context.Context, dir string, memLimit int64, name string, args ...string) (outcome, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stdout bytes.Buffer
	stderr := &capped{max: stderrKeep}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	if err := cmd.Start(); err != nil {
		return outcome{}, err
	}
	done := make(chan struct{})
	over := make(chan struct{}, 1)
	if memLimit > 0 {
		go watchMemory(cmd.Process, memLimit, done, over)
	}
	err := cmd.Wait()
	close(done)
	o := outcome{stdout: stdout.Bytes(), stderr: stderr.buf.Bytes()}
	select {
	case <-over:
		o.tooBig = true
	default:
	}
	if ctx.Err() == context.DeadlineExceeded {
		o.timedOut = true
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		o.exit = exit.ExitCode()
	default:
		return o, err
	}
	return o, nil
}

// watchMemory kills p when its resident set passes limit bytes.
func watchMemory(p *os.Process, limit int64, done <-chan struct{}, over chan<- struct{}) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			if rss, ok := residentBytes(p.Pid); ok && rss > limit {
				over <- struct{}{}
				_ = p.Kill()
				return
			}
		}
	}
}

// residentBytes reads a process's resident set size from /proc (Linux);
// false where there is none.
func residentBytes(pid int) (int64, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) == 2 && f[1] == "kB" {
				kb, err := strconv.ParseInt(f[0], 10, 64)
				return kb << 10, err == nil
			}
		}
	}
	return 0, false
}

// capped keeps the first max bytes written to it.
type capped struct {
	buf bytes.Buffer
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// crashLine is the first line of a Go crash in stderr ("panic: ...",
// "fatal error: ..."), or "".
func crashLine(stderr []byte) string {
	for _, line := range strings.Split(string(stderr), "\n") {
		if strings.HasPrefix(line, "panic: ") || strings.HasPrefix(line, "fatal error: ") {
			return line
		}
	}
	return ""
}
