package node

import (
	"errors"
	"strconv"
	"strings"

	"github.com/replsim/replsim/node/resp"
)

// RedisVersion is the Redis release whose behaviour the node mirrors.
const RedisVersion = "7.0.15"

// ConfigSource is what a server reads its settings from, the way
// redis-server does: an optional config file, then command-line options
// that are appended to it as extra lines.
type ConfigSource struct {
	// FileName names the config file in messages ("" when there is none).
	FileName string
	// FileText is the file's content.
	FileText string
	// Options are the command-line arguments after the file name, in
	// redis-server's form: `--port 6380 --slaveof 127.0.0.1 6379`.
	Options []string
	// Chdir, when set, is called for every `dir` directive as it is read
	// (redis-server changes its working directory at that point): it checks
	// the directory and returns its absolute path. Its error text fails the
	// line, e.g. "No such file or directory".
	Chdir func(dir string) (string, error)
}

// Warning is a directive that was accepted but ignored.
type Warning struct {
	Where string // "file.conf:12" or "command line"
	Line  string // the line as read
	Msg   string
}

// String renders the warning for a log line.
func (w Warning) String() string {
	return w.Where + ": '" + w.Line + "': " + w.Msg
}

// ConfigError is a fatal configuration error. Error() renders it exactly
// as redis-server prints it (without the blank line it starts with).
type ConfigError struct {
	// Where is "file.conf:12" or "command line" ("" when not tied to a line).
	Where string
	// LineNo counts lines the way Redis does: the file's lines, then one
	// empty line, then one line per command-line directive.
	LineNo int
	Line   string
	Msg    string
}

// Error returns redis-server's message.
func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString("*** FATAL CONFIG FILE ERROR (Redis " + RedisVersion + ") ***\n")
	if e.LineNo > 0 {
		b.WriteString("Reading the configuration file, at line " + strconv.Itoa(e.LineNo) + "\n")
		b.WriteString(">>> '" + e.Line + "'\n")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// SplitServerArgs splits redis-server's arguments into the config file name
// ("" when the first argument starts with '-') and the options after it.
func SplitServerArgs(args []string) (file string, options []string, err error) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	for i, a := range args {
		if a == "-" && (i == 0 || i == len(args)-1) {
			return "", nil, errors.New("reading the configuration from stdin ('-') is not supported")
		}
	}
	return file, args, nil
}

// optionsText turns command-line options into config lines the way
// redis-server's main does: `--name` starts a line, every other argument is
// appended quoted. An option name given alone takes the next argument as
// its value even when it starts with "--" (except `--save --x`, which
// means save "").
func optionsText(opts []string) string {
	var b strings.Builder
	handledLast := true
	for j, a := range opts {
		if handledLast && strings.HasPrefix(a, "--") {
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(a[2:])
			b.WriteByte(' ')
			parts, _ := splitConfigArgs(a)
			if len(parts) != 1 {
				handledLast = true // "--port 6380" in one argument
				continue
			}
			handledLast = false
			last := j == len(opts)-1
			if strings.EqualFold(a, "--save") && (last || strings.HasPrefix(opts[j+1], "--")) {
				b.WriteString(`""`)
				handledLast = !last
			}
			continue
		}
		b.WriteString(resp.Repr(a))
		b.WriteByte(' ')
		handledLast = true
	}
	return b.String()
}

// ParseConfig reads src on top of DefaultConfig with redis-server's rules.
// A Redis 7.0 directive that replsim does not implement is ignored with a
// warning; anything else that Redis would reject fails with a
// *ConfigError carrying Redis's message.
func ParseConfig(src ConfigSource) (Config, []Warning, error) {
	cfg := DefaultConfig()
	text := src.FileText + "\n" + optionsText(src.Options)
	fileLines := strings.Count(src.FileText, "\n") + 1
	st := &confSetter{cfg: &cfg, loading: true, chdir: src.Chdir}
	var warns []Warning
	for i, raw := range strings.Split(text, "\n") {
		lineNo := i + 1
		line := strings.Trim(raw, " \t\r\n")
		if line == "" || line[0] == '#' {
			continue
		}
		where := "command line"
		if lineNo <= fileLines {
			where = src.FileName + ":" + strconv.Itoa(lineNo)
		}
		fail := func(msg string) error {
			return &ConfigError{Where: where, LineNo: lineNo, Line: line, Msg: msg}
		}
		argv, ok := splitConfigArgs(line)
		if !ok {
			return Config{}, nil, fail("Unbalanced quotes in configuration line")
		}
		if len(argv) == 0 {
			continue
		}
		warn, err := applyDirective(st, argv)
		if err != nil {
			return Config{}, nil, fail(err.Error())
		}
		if warn != "" {
			warns = append(warns, Warning{Where: where, Line: line, Msg: warn})
		}
	}
	return cfg, warns, nil
}

// applyDirective applies one parsed line; it returns a warning for a line
// that was ignored.
func applyDirective(st *confSetter, argv []string) (warning string, err error) {
	name := strings.ToLower(argv[0])
	if d := confByName[name]; d != nil {
		args := argv[1:]
		if d.flags&confMultiArg == 0 && len(argv) != 2 {
			return "", errors.New("wrong number of arguments")
		}
		if d.flags&confMultiArg != 0 && len(argv) == 2 && argv[1] != "" {
			// `--save "900 1 300 10"`: one argument holding several.
			args, _ = splitConfigArgs(argv[1])
		}
		if err := d.set(st, args); err != nil {
			return "", err
		}
		if d.flags&confNoEffect != 0 {
			return name + " has no effect in replsim; accepted", nil
		}
		return "", nil
	}
	if multi, ok := knownConfigs[name]; ok {
		if !multi && len(argv) != 2 {
			return "", errors.New("wrong number of arguments")
		}
		if err := checkIgnoredValue(name, argv[1:]); err != nil {
			return "", err
		}
		return name + " is not implemented by replsim; ignored", nil
	}
	if r, ok := deprecatedConfigs[name]; ok && len(argv) >= r[0] && len(argv) <= r[1] {
		return "", nil
	}
	argc := len(argv)
	switch {
	case name == "include" && argc == 2:
		return "", errors.New("include is not supported by replsim: put every directive in one file")
	case name == "rename-command" && argc == 3,
		name == "user" && argc >= 2,
		name == "loadmodule" && argc >= 2:
		return name + " is not implemented by replsim; ignored", nil
	case name == "sentinel":
		if argc != 1 {
			return "", errors.New("sentinel directive while not in sentinel mode")
		}
		return "sentinel mode is not implemented by replsim; ignored", nil
	case strings.Contains(name, "."):
		if argc < 2 {
			return "", errors.New("Module config specified without value")
		}
		return "module configs are not implemented by replsim; ignored", nil
	}
	return "", errors.New("Bad directive or wrong number of arguments")
}
