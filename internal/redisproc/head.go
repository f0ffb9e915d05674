package redisproc

import (
	"io"
	"sync"
)

// firstStderrMax bounds how much of a server's stderr is kept in memory
// (all of it still goes to the log) to explain an exit at start.
const firstStderrMax = 4096

// headWriter writes through to w and keeps the first firstStderrMax bytes.
type headWriter struct {
	w    io.Writer
	mu   sync.Mutex
	head []byte
}

func (h *headWriter) Write(p []byte) (int, error) {
	h.mu.Lock()
	if n := firstStderrMax - len(h.head); n > 0 {
		h.head = append(h.head, p[:min(n, len(p))]...)
	}
	h.mu.Unlock()
	return h.w.Write(p)
}

// String is what was kept.
func (h *headWriter) String() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return string(h.head)
}
