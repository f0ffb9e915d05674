package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progress prints how a sweep is going: on a terminal one line rewritten in
// place (\r) a few times a second, otherwise a plain line every interval.
type progress struct {
	w        io.Writer
	tty      bool
	interval time.Duration
	now      func() time.Time

	start    time.Time
	last     time.Time
	total    uint64        // seeds in the sweep, 0 when bounded by time
	deadline time.Duration // the sweep's duration, 0 when bounded by seeds
	width    int           // of the last terminal line, to blank it out
}

// plainInterval is how often a sweep reports when not on a terminal.
var plainInterval = 5 * time.Second

func newProgress(w io.Writer, tty bool, total uint64, deadline time.Duration, now func() time.Time) *progress {
	p := &progress{w: w, tty: tty, interval: plainInterval, now: now, total: total, deadline: deadline}
	if tty {
		p.interval = 200 * time.Millisecond
	}
	p.start = now()
	p.last = p.start
	return p
}

// update reports done seeds and failures so far, if it is time to.
func (p *progress) update(done, failed uint64) {
	t := p.now()
	if t.Sub(p.last) < p.interval {
		return
	}
	p.last = t
	p.print(p.line(done, failed, t))
}

// finish clears the terminal line.
func (p *progress) finish() {
	if p.tty && p.width > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
	}
}

func (p *progress) print(s string) {
	if !p.tty {
		fmt.Fprintln(p.w, s)
		return
	}
	pad := ""
	if len(s) < p.width {
		pad = strings.Repeat(" ", p.width-len(s))
	}
	p.width = len(s)
	fmt.Fprintf(p.w, "\r%s%s", s, pad)
}

func (p *progress) line(done, failed uint64, t time.Time) string {
	el := t.Sub(p.start)
	rate := 0.0
	if el > 0 {
		rate = float64(done) / el.Seconds()
	}
	var b strings.Builder
	if p.total > 0 {
		fmt.Fprintf(&b, "chaos: %d/%d seeds", done, p.total)
	} else {
		fmt.Fprintf(&b, "chaos: %d seeds", done)
	}
	fmt.Fprintf(&b, ", %.1f seeds/s, %d failed", rate, failed)
	left := time.Duration(-1)
	if p.total > 0 && rate > 0 {
		left = time.Duration(float64(p.total-done) / rate * float64(time.Second))
	}
	if p.deadline > 0 && (left < 0 || p.deadline-el < left) {
		left = max(p.deadline-el, 0)
	}
	if left >= 0 {
		fmt.Fprintf(&b, ", %s left", left.Round(time.Second))
	}
	return b.String()
}
