package node

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/replsim/replsim/node/rdb"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/vfs"
)

// aofCommand is one command read from an AOF file, with its offset.
type aofCommand struct {
	args [][]byte
	off  int
}

// aofFile is one AOF file read in full before anything is applied.
type aofFile struct {
	name string
	snap *rdb.Snapshot // an RDB-format base
	cmds []aofCommand
	// cut is where a truncated file's last complete command ends; -1 when
	// the file is complete. revert: it ended inside a MULTI, after a
	// whole command.
	cut    int
	revert bool
	size   int
}

// aofLineMax is the longest line loadSingleAppendOnlyFile's fgets reads
// at once (its buffer is AOF_ANNOTATION_LINE_MAX_LEN, 1024 bytes): a
// longer line is read in pieces, each taken as a line of its own.
const aofLineMax = 1023

// parseAOFCommands reads RESP commands as loadSingleAppendOnlyFile does:
// '#' lines are annotations, every command is a '*' multibulk. It returns
// the commands and, when the data ends inside a command or inside a
// MULTI without its EXEC, where to cut it: the end of the last whole
// command (valid_up_to, which annotations do not move), or for a MULTI
// the end of the whole command before it (valid_before_multi); -1
// otherwise. revert says the data ended after a whole command inside the
// MULTI (Redis then logs "Revert incomplete MULTI/EXEC transaction").
// Malformed content is an error with its offset.
//
// The numbers are read as Redis reads them, leniently: the count with
// atoi and each length with strtol, so leading spaces, a sign, and
// anything after the digits up to the line's end are accepted ("*3x" is
// 3, "$x" an empty argument), and a line may end with a bare LF. A count
// below 1 is a format error; a negative length, on which Redis aborts
// allocating it, is one here. No other bound applies: a length or count
// beyond the data is a file that ends inside the command.
func parseAOFCommands(data []byte) (cmds []aofCommand, cut int, revert bool, err error) {
	pos, validUpTo := 0, 0
	multiAt, multiIdx := -1, 0
	for pos < len(data) {
		start := pos
		line := aofLine(data, pos)
		pos += len(line)
		if line[0] == '#' {
			continue
		}
		if line[0] != '*' {
			return nil, 0, false, fmt.Errorf("bad file format at offset %d: expected '*', got %q", start, line[0])
		}
		count := cString(line[1:])
		if len(count) == 0 {
			// Redis's buf[1] == '\0' is a read error: the end of the
			// file after the '*', or else (a NUL there) an unrecoverable
			// one, taken here as a format error.
			if pos == len(data) && len(line) == 1 {
				return aofTruncated(cmds, multiAt, multiIdx, validUpTo)
			}
			return nil, 0, false, fmt.Errorf("bad file format at offset %d: NUL after '*'", start)
		}
		argc := int64(int32(strtoll(count))) // atoi: (int)strtol
		if argc < 1 {
			return nil, 0, false, fmt.Errorf("bad file format at offset %d: command with %d arguments", start, argc)
		}
		args := make([][]byte, 0, min(argc, 16))
		for j := int64(0); j < argc; j++ {
			if pos == len(data) {
				return aofTruncated(cmds, multiAt, multiIdx, validUpTo)
			}
			at := pos
			line := aofLine(data, pos)
			pos += len(line)
			if line[0] != '$' {
				return nil, 0, false, fmt.Errorf("bad file format at offset %d: expected '$', got %q", at, line[0])
			}
			size := strtoll(cString(line[1:]))
			if size < 0 {
				return nil, 0, false, fmt.Errorf("bad file format at offset %d: bulk length %d", at, size)
			}
			if int64(len(data)-pos)-2 < size { // size+2 may overflow: strtol saturates
				return aofTruncated(cmds, multiAt, multiIdx, validUpTo)
			}
			// The two bytes after an argument are discarded unread, as
			// loadSingleAppendOnlyFile does ("discard CRLF"): Redis
			// 7.0.15 loads "$1\r\nvXX" as "v".
			end := pos + int(size)
			args = append(args, data[pos:end])
			pos = end + 2
		}
		switch {
		case equalFold(args[0], "multi"):
			multiAt, multiIdx = validUpTo, len(cmds)
		case equalFold(args[0], "exec"):
			multiAt = -1
		}
		cmds = append(cmds, aofCommand{args: args, off: start})
		validUpTo = pos
	}
	if multiAt >= 0 {
		return cmds[:multiIdx], multiAt, true, nil
	}
	return cmds, -1, false, nil
}

// logUnexpectedAOFEnd is loadSingleAppendOnlyFile's line for a file that
// ends inside a command with aof-load-truncated no; Redis exits after it.
const logUnexpectedAOFEnd = "Unexpected end of file reading the append only file %s. You can: " +
	"1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. " +
	"2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server."

// aofTruncated is the result for data ending inside a command: the
// commands before it, or before an unfinished MULTI, and the cut (the
// end of the last whole command, validUpTo, or the MULTI's).
func aofTruncated(cmds []aofCommand, multiAt, multiIdx, validUpTo int) ([]aofCommand, int, bool, error) {
	if multiAt >= 0 {
		return cmds[:multiIdx], multiAt, false, nil
	}
	return cmds, validUpTo, false, nil
}

// aofLine is the line fgets reads at pos (pos < len(data)): through the
// next LF, at most aofLineMax bytes, or to the end of data.
func aofLine(data []byte, pos int) []byte {
	end := min(len(data), pos+aofLineMax)
	if nl := bytes.IndexByte(data[pos:end], '\n'); nl >= 0 {
		end = pos + nl + 1
	}
	return data[pos:end]
}

// parseAOFFile parses one file of the manifest, read in full. A file
// starting with "REDIS" begins with an RDB (a base, or the preamble of an
// AOF of Redis before 7.0), whose error is returned unwrapped as rdbErr;
// commands may follow it.
func (n *Node) parseAOFFile(name string, data []byte) (f *aofFile, rdbErr, err error) {
	f = &aofFile{name: name, cut: -1, size: len(data)}
	start := 0
	if bytes.HasPrefix(data, []byte("REDIS")) {
		if f.snap, start, err = rdb.ParsePrefix(data); err != nil {
			return nil, err, nil
		}
		if start == len(data) {
			return f, nil, nil
		}
	}
	f.cmds, f.cut, f.revert, err = parseAOFCommands(data[start:])
	if err != nil {
		// loadSingleAppendOnlyFile's fmterr, then Redis exits.
		n.logWarning("Bad file format reading the append only file %s: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>", name)
		return nil, nil, &loggedError{fmt.Errorf("Bad file format reading the append only file %s: %w", name, err)}
	}
	if start > 0 {
		for i := range f.cmds {
			f.cmds[i].off += start
		}
		if f.cut >= 0 {
			f.cut += start
		}
	}
	for _, c := range f.cmds {
		if lookupCommand(c.args[0]) == nil {
			return nil, nil, fmt.Errorf("Unknown command '%s' reading the append only file %s at offset %d", truncate(string(c.args[0]), 128), name, c.off)
		}
	}
	return f, nil, nil
}

// loadAOF loads the multi-part AOF (loadAppendOnlyFiles) and opens it for
// appending (aofOpenIfNeededOnServerStart). Every file is read and checked
// before the dataset is touched, and a failure while applying empties it
// again, so an error never leaves a partial dataset. A truncated last file
// loads with a warning when aof-load-truncated is yes: its tail is cut off
// by rewriting the file (temp file, rename, directory fsync), since the
// filesystem has no truncate.
func (n *Node) loadAOF() error {
	start := n.monoNs()
	m, err := n.loadAOFFiles()
	if err != nil {
		return err
	}
	if !m.empty() {
		// loadDataFromDisk's line, for any manifest that lists a file.
		n.logNotice("DB loaded from append only file: %.3f seconds", float64(n.monoNs()-start)/1e9)
	}
	return n.aofOpenAtStart(&m)
}

// loadAOFFiles is loadAOF without the opening: it reads the manifest
// (upgrading an old single-file AOF), checks and applies every file, and
// returns the manifest.
func (n *Node) loadAOFFiles() (aofManifest, error) {
	m, err := n.loadManifest()
	if err != nil {
		return m, err
	}
	return n.loadAOFManifest(m)
}

// loadManifest reads the manifest on disk (aofLoadManifestFromDisk); a
// bad one is fatal, logged as Redis logs it.
func (n *Node) loadManifest() (aofManifest, error) {
	m, err := n.readManifest()
	if err != nil {
		var me *manifestError
		if errors.As(err, &me) {
			me.logFatal(n)
			return m, &loggedError{err}
		}
	}
	return m, err
}

// loadAOFManifest is loadAppendOnlyFiles: it upgrades an old single-file
// AOF, then loads the files m lists, base first, one after the other as
// loadSingleAppendOnlyFile does, with Redis's lines for each. Every file
// must be there before any is read (getBaseAndIncrAppendOnlyFilesSize),
// and files that are all empty load nothing. A failure empties the
// dataset again, so an error never leaves a partial dataset.
func (n *Node) loadAOFManifest(m aofManifest) (aofManifest, error) {
	if n.aofNeedsUpgrade(&m) {
		if err := n.aofUpgrade(&m); err != nil {
			return m, err
		}
	}
	var names []string
	if m.base != nil {
		names = append(names, m.base.name)
	}
	for _, ai := range m.incr {
		names = append(names, ai.name)
	}
	datas, readErrs := make([][]byte, len(names)), make([]error, len(names))
	a := &n.persist().aof
	a.loadedSize, a.loadedBase = 0, 0
	empty := true
	for i, name := range names {
		data, err := n.env.FS().ReadFile(n.aofPath(name))
		if errors.Is(err, vfs.ErrNotExist) {
			n.logWarning("Unable to obtain the AOF file %s length. stat: %s", name, strerror(err))
			return m, &loggedError{fmt.Errorf("AOF file %s listed in the manifest does not exist", name)}
		}
		datas[i], readErrs[i] = data, err
		empty = empty && err == nil && len(data) == 0
		a.loadedSize += int64(len(data))
		if i == 0 && m.base != nil {
			a.loadedBase = int64(len(data))
		}
	}
	if empty {
		return m, nil
	}
	for i, name := range names {
		last := i == len(names)-1
		kind := "incr"
		if i == 0 && m.base != nil {
			kind = "base"
		}
		start := n.monoNs()
		loaded, err := n.loadAOFPart(name, datas[i], readErrs[i], last)
		if err == nil && loaded {
			n.logNotice("DB loaded from %s file %s: %.3f seconds", kind, name, float64(n.monoNs()-start)/1e9)
		}
		if err != nil {
			for _, db := range n.dbs {
				db.clear()
			}
			return m, err
		}
	}
	return m, nil
}

// loadAOFPart is loadSingleAppendOnlyFile for one file read as data (or
// failing with readErr): its RDB part, then its commands, through a
// client of its own (no AOF feeding, no expiry while loading, nothing
// sent anywhere). A command refused for its arity is an error naming the
// file and offset; one that replies an error is logged and loading goes
// on. A truncated end is cut off when aof-load-truncated is yes, and only
// the last file may end so. loaded is false for an empty file.
func (n *Node) loadAOFPart(name string, data []byte, readErr error, last bool) (loaded bool, err error) {
	if readErr != nil {
		n.logWarning("Fatal error: can't open the append log file %s for reading: %s", name, strerror(readErr))
		return false, &loggedError{fmt.Errorf("can't open the append log file %s for reading: %w", name, readErr)}
	}
	if len(data) == 0 {
		return false, nil
	}
	oldStyle := name == n.cfg.AppendFilename
	if bytes.HasPrefix(data, []byte("REDIS")) {
		if oldStyle {
			n.logNotice("Reading RDB preamble from AOF file...")
		} else {
			n.logNotice("Reading RDB base file on AOF loading...")
		}
	}
	f, rdbErr, err := n.parseAOFFile(name, data)
	if rdbErr != nil {
		if n.logRDBChecksumError(data, rdbErr) {
			return false, &loggedError{fmt.Errorf("the RDB part of the AOF file %s: %w", name, rdbErr)}
		}
		format := "Error reading the RDB base file %s, AOF loading aborted"
		if oldStyle {
			format = "Error reading the RDB preamble of the AOF file %s, AOF loading aborted"
		}
		n.logWarning(format, name)
		return false, &loggedError{fmt.Errorf("the RDB part of the AOF file %s: %w", name, rdbErr)}
	}
	if err != nil {
		return false, err
	}
	if f.cut >= 0 && !n.cfg.AofLoadTruncated {
		if f.revert {
			n.logWarning("Revert incomplete MULTI/EXEC transaction in AOF file %s", name)
		}
		n.logWarning(logUnexpectedAOFEnd, name)
		return false, &loggedError{fmt.Errorf("Unexpected end of file reading the append only file %s (last complete command ends at offset %d)", name, f.cut)}
	}
	p := n.persist()
	p.loading = true
	defer func() { p.loading = false }()
	if f.snap != nil {
		n.logRDBAux(f.snap)
		if err := n.loadSnapshot(f.snap); err != nil {
			return false, fmt.Errorf("Error reading the RDB base file %s: %w", f.name, err)
		}
		// An AOF's RDB keeps keys already expired (rdbLoadRio with
		// RDBFLAGS_AOF_PREAMBLE): its commands assume them.
		n.logRDBDone(f.snap, 0)
		if oldStyle {
			n.logNotice("Reading the remaining AOF tail...")
		}
	}
	c := &client{n: n, id: -1, authed: true, queued: true}
	for _, cmd := range f.cmds {
		if err := n.aofApply(c, cmd.args); err != nil {
			return false, fmt.Errorf("applying the append only file %s at offset %d: %w", f.name, cmd.off, err)
		}
	}
	if f.cut >= 0 {
		if err := n.truncateAOF(f, data); err != nil {
			return false, err
		}
		if !last {
			n.logWarning("Fatal error: the truncated file is not the last file")
			return false, &loggedError{fmt.Errorf("the truncated file %s is not the last file (cut at offset %d)", name, f.cut)}
		}
	}
	return true, nil
}

// truncateAOF cuts the tail of a truncated file, read as data, after the
// warnings Redis logs.
func (n *Node) truncateAOF(f *aofFile, data []byte) error {
	if f.revert {
		n.logWarning("Revert incomplete MULTI/EXEC transaction in AOF file %s", f.name)
	}
	n.logWarning("!!! Warning: short read while loading the AOF file %s!!!", f.name)
	n.logWarning("!!! Truncating the AOF %s at offset %d !!!", f.name, f.cut)
	tmp := n.aofPath("temp-truncate-" + f.name)
	if err := writeFileAtomic(n.env.FS(), tmp, n.aofPath(f.name), data[:f.cut], nil); err != nil {
		// truncate() failed: Redis logs it, then the unexpected end.
		n.logWarning("Error truncating the AOF file %s: %s", f.name, strerror(err))
		n.logWarning(logUnexpectedAOFEnd, f.name)
		return &loggedError{fmt.Errorf("Error truncating the AOF file %s: %w", f.name, err)}
	}
	n.logWarning("AOF %s loaded anyway because aof-load-truncated is enabled", f.name)
	return nil
}

// aofApply runs one command for the AOF client: queued inside MULTI, else
// called directly (no processCommand checks). An error reply is logged.
func (n *Node) aofApply(c *client, args [][]byte) error {
	cmd := lookupCommand(args[0])
	if (cmd.arity > 0 && len(args) != cmd.arity) || len(args) < -cmd.arity {
		return errors.New(errWrongArgs(cmd.name))
	}
	c.out = c.out[:0]
	if c.inMulti && cmd.name != "exec" {
		c.multiCmds = append(c.multiCmds, args)
		return nil
	}
	n.call(c, cmd, args)
	// An error reply goes nowhere (the AOF client has no connection):
	// afterErrorReply logs it and loading goes on, as Redis 7.0.15 does
	// with propagation-error-behavior ignore, its default.
	for _, msg := range replyErrors(c.out, nil) {
		n.stats.unexpectedErrors++
		n.logWarning("== CRITICAL == This server is sending an error to its AOF-loading-client: '%s' after processing the command '%s'", msg, cmd.name)
	}
	return nil
}

// replyErrors appends the errors in a reply (at the top or inside an
// array, as EXEC replies) to errs, as afterErrorReply sees them: a plain
// error (addReplyError) without its "ERR ", a shared one with its '-'.
func replyErrors(out []byte, errs []string) []string {
	for len(out) > 0 {
		v, k, err := resp.ParseValue(out)
		if err != nil || k == 0 {
			return errs
		}
		errs = valueErrors(v, errs)
		out = out[k:]
	}
	return errs
}

func valueErrors(v resp.Value, errs []string) []string {
	if v.Kind == resp.Error {
		msg := string(v.Str)
		if rest, ok := strings.CutPrefix(msg, "ERR "); ok {
			msg = rest
		} else {
			msg = "-" + msg
		}
		return append(errs, truncate(msg, 4096))
	}
	for _, e := range v.Array {
		errs = valueErrors(e, errs)
	}
	return errs
}

// aofLoaded sets INFO's AOF sizes after a load, as loadAppendOnlyFiles
// does: the sizes of every file it read, before any truncation, and of
// the base; a load of nothing leaves them as they were.
func (n *Node) aofLoaded() {
	a := &n.persist().aof
	if a.loadedSize > 0 {
		a.currentSize, a.rewriteBaseSize = a.loadedSize, a.loadedBase
	}
}
