package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestProgressPlainLines(t *testing.T) {
	var b bytes.Buffer
	c := &fakeClock{t: time.Unix(1000, 0)}
	p := newProgress(&b, false, 100, 0, c.now)
	c.t = c.t.Add(time.Second)
	p.update(10, 0)
	assert.Empty(t, b.String(), "nothing before the interval")
	c.t = c.t.Add(4 * time.Second)
	p.update(50, 2)
	assert.Equal(t, "chaos: 50/100 seeds, 10.0 seeds/s, 2 failed, 5s left\n", b.String())
	p.finish()
	assert.Equal(t, "chaos: 50/100 seeds, 10.0 seeds/s, 2 failed, 5s left\n", b.String())
}

func TestProgressTerminalRewritesOneLine(t *testing.T) {
	var b bytes.Buffer
	c := &fakeClock{t: time.Unix(1000, 0)}
	p := newProgress(&b, true, 0, time.Minute, c.now)
	c.t = c.t.Add(10 * time.Second)
	p.update(1000, 0)
	c.t = c.t.Add(10 * time.Second)
	p.update(2000, 1)
	p.finish()
	out := b.String()
	assert.NotContains(t, out, "\n")
	assert.Equal(t, 4, strings.Count(out, "\r"))
	assert.Contains(t, out, "\rchaos: 1000 seeds, 100.0 seeds/s, 0 failed, 50s left")
	assert.Contains(t, out, "\rchaos: 2000 seeds, 100.0 seeds/s, 1 failed, 40s left")
}

func TestIsTerminal(t *testing.T) {
	assert.False(t, isTerminal(&bytes.Buffer{}))
}

func TestProgressTimeLeftIsTheEarlierEnd(t *testing.T) {
	c := &fakeClock{t: time.Unix(1000, 0)}
	p := newProgress(&bytes.Buffer{}, false, 1000, 30*time.Second, c.now)
	c.t = c.t.Add(10 * time.Second)
	assert.Contains(t, p.line(100, 0, c.t), "20s left", "the deadline comes before the 90s the seeds would take")
	assert.Contains(t, p.line(900, 0, c.t), "1s left", "the seeds end before the deadline")
}
