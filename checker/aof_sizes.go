package checker

import (
	"fmt"
	"strconv"
	"strings"
)

// LogLoadTruncated is the line of a load that cut a truncated AOF's tail.
const LogLoadTruncated = "AOF %s loaded anyway because aof-load-truncated is enabled"

// CheckAOFSizes compares a running node's INFO aof_current_size with its
// files at the end of the run. Redis 7.0.15 counts every byte it writes
// to the AOF on top of what the last load read (base and incr files) or
// of the base the last rewrite (or the AOF's reopen) made; only a start
// with no AOF leaves its new base out (aofOpenIfNeededOnServerStart). So
// with nothing buffered and no rewrite running, the size is the incr
// files of the manifest, or those plus its base. A node whose sizes Redis
// would not match either is not judged (ManifestFile.SizeUnknown), nor a
// manifest naming a file that is gone: a rewrite whose manifest persist
// failed at the directory fsync, after the rename, unlinks its new base
// and keeps the old manifest in memory, as backgroundRewriteDoneHandler
// does (seeds 1108, 1290). Nor one whose base the node failed to unlink
// (ManifestFile.BaseUnlinkFailed): that unlink is the only one Redis
// makes of a base its manifest on disk names, so the manifest is such a
// rewrite's, which Redis's memory never took, and bg_unlink's error left
// the base in place (seed 34060). Nor one that names an incr file twice,
// which a bit flip in its read can make load (aofLoadManifestFromFile only
// wants the incr seqs to grow): Redis counts that file once per entry at
// the load (getBaseAndIncrAppendOnlyFilesSize) but the bytes it appends
// to it since once (seed 71406). A process that started with no AOF and
// found a failed rewrite's file under its new incr file's name leaves that
// file's bytes out (ManifestFile.IncrLeftover; gate seed 3071506).
func CheckAOFSizes(files []ManifestFile) []Violation {
	var out []Violation
	for _, f := range files {
		info := infoFields(f.Info)
		if info["aof_enabled"] != "1" || info["aof_rewrite_in_progress"] != "0" || info["aof_buffer_length"] != "0" || f.SizeUnknown || f.BaseUnlinkFailed || f.Waiting {
			continue
		}
		current, err := strconv.ParseInt(info["aof_current_size"], 10, 64)
		if err != nil {
			continue
		}
		var incr, base int64
		hasBase, skip := false, false
		incrs := map[string]bool{}
		for _, e := range ManifestEntries(f.Text) {
			if _, ok := f.Sizes[e.Name]; !ok && e.Type != "h" {
				skip = true
			}
			switch e.Type {
			case "i":
				skip = skip || incrs[e.Name]
				incrs[e.Name] = true
				incr += f.Sizes[e.Name]
			case "b":
				base, hasBase = f.Sizes[e.Name], true
			}
		}
		if skip {
			continue
		}
		withBase := hasBase && current == incr+base
		if !withBase && current != incr && current != incr-f.IncrLeftover {
			out = append(out, Violation{Check: "aof_sizes", Nodes: []string{f.Node}, Detail: fmt.Sprintf(
				"%s: INFO aof_current_size is %d, but its manifest's incr files hold %d bytes and its base %d: Redis counts the incr files, with the base unless the AOF started from nothing",
				f.Node, current, incr, base)})
			continue
		}
		if v, ok := checkAOFBaseSize(f.Node, info, withBase, current, base); !ok {
			out = append(out, v)
		}
	}
	return out
}

// checkAOFBaseSize judges INFO aof_base_size (aof_rewrite_base_size)
// once aof_current_size has matched the files. Redis 7.0.15 sets it in
// three places: a load (loadAppendOnlyFiles) to the size of the base the
// manifest names (0 without a base, and a load of nothing or a start with
// no AOF leaves it as it was: 0 in a new process); a rewrite's end
// (backgroundRewriteDoneHandler) and the AOF's reopen to the new base's
// size plus the incr bytes written since the rewrite began, which is at
// least the base and at most what aof_current_size has grown to since.
// So when aof_current_size counts the base it lies between the base and
// aof_current_size, and when it counts only the incr files (the AOF
// started from nothing; no load or rewrite since) it is 0.
func checkAOFBaseSize(node string, info map[string]string, withBase bool, current, base int64) (Violation, bool) {
	got, err := strconv.ParseInt(info["aof_base_size"], 10, 64)
	if err != nil {
		return Violation{}, true
	}
	switch {
	case withBase && base <= got && got <= current:
		return Violation{}, true
	case !withBase && got == 0:
		return Violation{}, true
	}
	want := fmt.Sprintf("between its manifest's base (%d bytes) and aof_current_size (%d)", base, current)
	if !withBase {
		want = "0: aof_current_size counts only the incr files, so the AOF started from nothing and no load or rewrite has set it since"
	}
	return Violation{Check: "aof_sizes", Nodes: []string{node}, Detail: fmt.Sprintf(
		"%s: INFO aof_base_size is %d, but Redis's would be %s", node, got, want)}, false
}

// infoFields splits an INFO reply into its fields.
func infoFields(info string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(info, "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			out[k] = v
		}
	}
	return out
}

// ManifestEntry is a well-formed line of an AOF manifest: the file's name
// (unquoted) and its type (b, h or i).
type ManifestEntry struct{ Name, Type string }

// ManifestEntries are the lines of a manifest written as Redis writes
// them (manifestLine), names unquoted; other lines are left out.
func ManifestEntries(text string) []ManifestEntry {
	var out []ManifestEntry
	for _, line := range strings.Split(text, "\n") {
		m := manifestLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		name := m[1]
		if strings.HasPrefix(name, `"`) {
			plain, err := strconv.Unquote(name)
			if err != nil {
				continue
			}
			name = plain
		}
		out = append(out, ManifestEntry{Name: name, Type: m[3]})
	}
	return out
}
