package disksim

import (
	"bytes"
	"fmt"
	"maps"
	"strings"
)

// CrashMode says what a crash does to data that was not synced.
type CrashMode uint8

// The crash modes.
const (
	// CrashLoseAll is a power loss that keeps nothing unsynced.
	CrashLoseAll CrashMode = iota
	// CrashTorn is a power loss that keeps a random prefix of each file's
	// unsynced tail.
	CrashTorn
	// CrashKeepAll is a kill -9 of the process: the OS and its page cache
	// survive, nothing is lost. Only open handles are invalidated.
	CrashKeepAll
)

// String returns "lose_all", "torn" or "keep_all".
func (m CrashMode) String() string {
	switch m {
	case CrashLoseAll:
		return "lose_all"
	case CrashTorn:
		return "torn"
	case CrashKeepAll:
		return "keep_all"
	}
	return fmt.Sprintf("crash_mode(%d)", uint8(m))
}

// FileLoss describes one path whose file changed in a crash.
type FileLoss struct {
	Path   string
	Before int64 // size before the crash, -1 if there was no file at Path
	After  int64 // size after the crash, -1 if there is no file at Path
	// Lost is how many bytes of the content the file at Path had before the
	// crash are gone: all of them if the file vanished, else those past the
	// longest prefix it shares with its content after the crash.
	Lost int64
}

// CrashReport is what a crash lost, in path order.
type CrashReport struct {
	Mode  CrashMode
	Files []FileLoss
}

// LostBytes is the total of Files[i].Lost.
func (r CrashReport) LostBytes() int64 {
	var t int64
	for _, f := range r.Files {
		t += f.Lost
	}
	return t
}

// String is a one-line description for the trace, e.g.
// "crash torn: a.aof 120->100 lost 20; tmp.rdb 50->gone lost 50".
func (r CrashReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "crash %s:", r.Mode)
	if len(r.Files) == 0 {
		b.WriteString(" nothing lost")
	}
	for i, f := range r.Files {
		if i > 0 {
			b.WriteByte(';')
		}
		fmt.Fprintf(&b, " %s %s->%s lost %d", f.Path, sizeString(f.Before), sizeString(f.After), f.Lost)
	}
	return b.String()
}

func sizeString(n int64) string {
	if n < 0 {
		return "gone"
	}
	return fmt.Sprint(n)
}

// Crash simulates a crash (see the package documentation). Every file
// handle opened before it fails afterwards. Files are visited in path order
// so the RNG draws are stable.
func (fs *FS) Crash(mode CrashMode) (CrashReport, error) {
	if mode > CrashKeepAll {
		return CrashReport{}, fmt.Errorf("disksim: crash: %w: %d", ErrBadCrashMode, uint8(mode))
	}
	fs.epoch++
	fs.live = nil
	fs.stats.Crashes++
	rep := CrashReport{Mode: mode}
	if mode == CrashKeepAll {
		return rep, nil
	}

	beforePaths, beforeNodes := fs.tree(false)
	beforeData := map[*inode][]byte{}
	for _, n := range beforeNodes {
		if !n.dir {
			beforeData[n] = n.data
		}
	}

	fs.root.entries = maps.Clone(fs.root.syncedEntries)
	afterPaths, afterNodes := fs.tree(true)
	survived := map[*inode]bool{}
	for i, n := range afterNodes {
		if n.dir {
			n.entries = maps.Clone(n.syncedEntries)
			continue
		}
		if !survived[n] {
			survived[n] = true
			fs.settle(afterPaths[i], n, mode)
		}
	}

	lost := func(n *inode) int64 {
		before := beforeData[n]
		if !survived[n] {
			return int64(len(before))
		}
		return int64(len(before) - commonPrefix(before, n.data))
	}
	rep.Files = diffTrees(beforePaths, beforeNodes, afterPaths, afterNodes, beforeData, lost)
	counted := map[*inode]bool{}
	for _, n := range beforeNodes {
		if !n.dir && !counted[n] {
			counted[n] = true
			fs.stats.BytesLost += lost(n)
		}
	}
	return rep, nil
}

func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// settle decides what a surviving file keeps and makes that both its
// current and its synced content.
func (fs *FS) settle(p string, n *inode, mode CrashMode) {
	kept := n.synced
	if mode == CrashTorn {
		if n.truncated {
			if fs.rng.Chance(0.5) { // the truncation reached the disk
				kept = n.data[:fs.rng.IntN(len(n.data)+1)]
			}
		} else {
			k := len(n.synced) + fs.rng.IntN(len(n.data)-len(n.synced)+1)
			if fs.TornCut != nil {
				if c := fs.TornCut(p, n.data, len(n.synced)); c >= len(n.synced) && c <= len(n.data) {
					k = c
				}
			}
			kept = n.data[:k]
		}
	}
	kept = kept[:len(kept):len(kept)]
	n.data, n.synced, n.truncated = kept, kept, false
}

// diffTrees lists the paths whose file differs across the crash.
func diffTrees(bp []string, bn []*inode, ap []string, an []*inode, beforeData map[*inode][]byte, lost func(*inode) int64) []FileLoss {
	var out []FileLoss
	i, j := 0, 0
	for i < len(bp) || j < len(ap) {
		var p string
		var b, a *inode
		switch {
		case j >= len(ap) || (i < len(bp) && bp[i] < ap[j]):
			p, b = bp[i], bn[i]
			i++
		case i >= len(bp) || ap[j] < bp[i]:
			p, a = ap[j], an[j]
			j++
		default:
			p, b, a = bp[i], bn[i], an[j]
			i++
			j++
		}
		if b != nil && b.dir {
			b = nil
		}
		if a != nil && a.dir {
			a = nil
		}
		if b == nil && a == nil {
			continue
		}
		fl := FileLoss{Path: p, Before: -1, After: -1}
		if b != nil {
			fl.Before = int64(len(beforeData[b]))
			fl.Lost = lost(b)
		}
		if a != nil {
			fl.After = int64(len(a.data))
		}
		if a == b && bytes.Equal(beforeData[b], a.data) {
			continue
		}
		out = append(out, fl)
	}
	return out
}
