package node

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// confFlag mirrors the flags of Redis's standardConfig entries.
type confFlag uint8

const (
	confImmutable confFlag = 1 << iota // CONFIG SET refuses it
	confProtected                      // CONFIG SET needs enable-protected-configs
	confMultiArg                       // takes several arguments
	confHidden                         // CONFIG GET shows it only by its exact name
	confNoEffect                       // accepted and kept, but changes nothing here
)

// confSetter carries what a setter may need besides the Config it writes.
type confSetter struct {
	cfg *Config
	// loading is set while reading the config file and command line.
	loading bool
	// saveLoaded records that a save line was read, so that later save
	// lines add rules instead of replacing the defaults (as in Redis).
	saveLoaded bool
	// chdir moves the working directory (the `dir` directive) and returns
	// the new absolute path; nil stores the value as given.
	chdir func(dir string) (string, error)
}

// confDef is one directive: its name (an alias is a separate entry that
// shares the accessors, as in Redis's config dictionary), its flags, a setter
// that validates and stores the arguments, and a getter that formats the
// value the way CONFIG GET shows it.
type confDef struct {
	name    string
	primary string // the primary name when this entry is an alias
	flags   confFlag
	set     func(s *confSetter, args []string) error
	get     func(c *Config) string
	// kind says how CONFIG REWRITE writes the value (config_rewrite.go);
	// confSpecial for a directive defined with defineConf directly.
	kind confKind
}

// confDefs is the table of implemented directives, in CONFIG GET order.
var confDefs []*confDef

// confByName indexes confDefs by lower-case name.
var confByName = map[string]*confDef{}

func defineConf(name, alias string, flags confFlag,
	set func(s *confSetter, args []string) error, get func(c *Config) string) {
	d := &confDef{name: name, flags: flags, set: set, get: get}
	confDefs = append(confDefs, d)
	confByName[name] = d
	if alias != "" {
		a := &confDef{name: alias, primary: name, flags: flags, set: set, get: get}
		confDefs = append(confDefs, a)
		confByName[alias] = a
	}
}

// setKind records the kind of name and its alias, if any.
func setKind(name, alias string, k confKind) {
	confByName[name].kind = k
	if alias != "" {
		confByName[alias].kind = k
	}
}

func lookupConf(name string) *confDef { return confByName[strings.ToLower(name)] }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func boolConf(name, alias string, flags confFlag, field func(*Config) *bool) {
	defineConf(name, alias, flags, func(s *confSetter, args []string) error {
		switch strings.ToLower(args[0]) {
		case "yes":
			*field(s.cfg) = true
		case "no":
			*field(s.cfg) = false
		default:
			return errors.New("argument must be 'yes' or 'no'")
		}
		return nil
	}, func(c *Config) string { return yesNo(*field(c)) })
	setKind(name, alias, confBool)
}

// numConf is an integer directive with inclusive bounds; memory selects
// memtoull parsing (units) in place of a plain integer.
func numConf(name, alias string, flags confFlag, lo, hi int64, memory bool,
	get func(*Config) int64, set func(*Config, int64)) {
	defineConf(name, alias, flags, func(s *confSetter, args []string) error {
		var v int64
		if memory {
			u, ok := memToUint64(args[0])
			if !ok {
				return errors.New("argument must be a memory value")
			}
			v = int64(u) // wraps like C's (long long) conversion
		} else {
			var ok bool
			if v, ok = parseInt([]byte(args[0])); !ok {
				return errors.New("argument couldn't be parsed into an integer")
			}
		}
		if v < lo || v > hi {
			return errors.New("argument must be between " + itoa(lo) + " and " + itoa(hi) + " inclusive")
		}
		set(s.cfg, v)
		return nil
	}, func(c *Config) string { return strconv.FormatInt(get(c), 10) })
	setKind(name, alias, map[bool]confKind{false: confNumber, true: confMemory}[memory])
}

func stringConf(name string, flags confFlag, valid func(string) error, field func(*Config) *string) {
	defineConf(name, "", flags, func(s *confSetter, args []string) error {
		if valid != nil {
			if err := valid(args[0]); err != nil {
				return err
			}
		}
		*field(s.cfg) = args[0]
		return nil
	}, func(c *Config) string { return *field(c) })
	setKind(name, "", confString)
}

func enumConf(name string, flags confFlag, values []string, field func(*Config) *string) {
	defineConf(name, "", flags, func(s *confSetter, args []string) error {
		for _, v := range values {
			if strings.EqualFold(args[0], v) {
				*field(s.cfg) = v
				return nil
			}
		}
		return errors.New("argument(s) must be one of the following: " + strings.Join(values, ", "))
	}, func(c *Config) string { return *field(c) })
	setKind(name, "", confEnum)
}

// baseName is Redis's pathIsBaseName check for file-name directives.
func baseName(what, noun string) func(string) error {
	return func(v string) error {
		if strings.ContainsAny(v, `/\`) {
			return errors.New(what + " can't be a path, just a " + noun)
		}
		return nil
	}
}

func nonEmptyBaseName(what, noun string) func(string) error {
	return func(v string) error {
		if v == "" {
			return errors.New(what + " can't be empty")
		}
		return baseName(what, noun)(v)
	}
}

const (
	maxInt32 = math.MaxInt32
	// minHz and maxHz bound hz the way Redis does (CONFIG_MIN_HZ/MAX_HZ).
	minHz = 1
	maxHz = 500
	// minBacklog is CONFIG_REPL_BACKLOG_MIN_SIZE.
	minBacklog = 16 * 1024
	// maxBindAddrs is CONFIG_BINDADDR_MAX.
	maxBindAddrs = 16
)

func init() {
	numConf("port", "", 0, 0, 65535, false,
		func(c *Config) int64 { return int64(c.Port) }, func(c *Config, v int64) { c.Port = int(v) })
	defineConf("bind", "", confMultiArg, setBind, func(c *Config) string { return strings.Join(c.Bind, " ") })
	defineConf("daemonize", "", confImmutable, setDaemonize, func(*Config) string { return "no" })
	stringConf("logfile", confImmutable, nil, func(c *Config) *string { return &c.LogFile })
	enumConf("loglevel", 0, []string{"debug", "verbose", "notice", "warning"}, func(c *Config) *string { return &c.LogLevel })
	defineConf("dir", "", confProtected, setDir, func(c *Config) string { return c.Dir })
	stringConf("dbfilename", confProtected, baseName("dbfilename", "filename"), func(c *Config) *string { return &c.DBFilename })
	boolConf("rdbcompression", "", 0, func(c *Config) *bool { return &c.RDBCompression })
	boolConf("rdbchecksum", "", confImmutable, func(c *Config) *bool { return &c.RDBChecksum })
	defineConf("save", "", confMultiArg, setSave, getSave)
	boolConf("appendonly", "", 0, func(c *Config) *bool { return &c.AppendOnly })
	enumConf("appendfsync", 0, []string{"everysec", "always", "no"}, func(c *Config) *string { return &c.AppendFsync })
	stringConf("appendfilename", confImmutable, nonEmptyBaseName("appendfilename", "filename"), func(c *Config) *string { return &c.AppendFilename })
	stringConf("appenddirname", confImmutable, nonEmptyBaseName("appenddirname", "dirname"), func(c *Config) *string { return &c.AppendDirname })
	boolConf("aof-load-truncated", "", 0, func(c *Config) *bool { return &c.AofLoadTruncated })
	boolConf("stop-writes-on-bgsave-error", "", 0, func(c *Config) *bool { return &c.StopWritesOnBgsaveErr })
	numConf("databases", "", confImmutable, 1, maxInt32, false,
		func(c *Config) int64 { return int64(c.Databases) }, func(c *Config, v int64) { c.Databases = int(v) })
	stringConf("requirepass", 0, nil, func(c *Config) *string { return &c.RequirePass })
	stringConf("masterauth", 0, nil, func(c *Config) *string { return &c.MasterAuth })
	defineConf("replicaof", "slaveof", confImmutable|confMultiArg, setReplicaOf, getReplicaOf)
	boolConf("replica-read-only", "slave-read-only", 0, func(c *Config) *bool { return &c.ReplicaReadOnly })
	boolConf("replica-serve-stale-data", "slave-serve-stale-data", 0, func(c *Config) *bool { return &c.ReplicaServeStaleData })
	numConf("repl-backlog-size", "", 0, 1, maxInt64, true,
		func(c *Config) int64 { return c.ReplBacklogSize }, func(c *Config, v int64) { c.ReplBacklogSize = v })
	numConf("repl-timeout", "", 0, 1, maxInt32, false,
		func(c *Config) int64 { return c.ReplTimeoutSec }, func(c *Config, v int64) { c.ReplTimeoutSec = v })
	numConf("repl-ping-replica-period", "repl-ping-slave-period", 0, 1, maxInt32, false,
		func(c *Config) int64 { return c.ReplPingPeriodSec }, func(c *Config, v int64) { c.ReplPingPeriodSec = v })
	boolConf("repl-diskless-sync", "", 0, func(c *Config) *bool { return &c.ReplDisklessSync })
	numConf("repl-diskless-sync-delay", "", 0, 0, maxInt32, false,
		func(c *Config) int64 { return c.ReplDisklessSyncDelay }, func(c *Config, v int64) { c.ReplDisklessSyncDelay = v })
	numConf("proto-max-bulk-len", "", 0, 1024*1024, maxInt64, true,
		func(c *Config) int64 { return c.ProtoMaxBulkLen }, func(c *Config, v int64) { c.ProtoMaxBulkLen = v })
	numConf("hz", "", 0, 0, maxInt32, false,
		func(c *Config) int64 { return int64(c.Hz) }, func(c *Config, v int64) { c.Hz = clampHz(v) })
	numConf("hash-max-listpack-entries", "hash-max-ziplist-entries", 0, 0, maxInt64, false,
		func(c *Config) int64 { return c.HashMaxListpackEntries }, func(c *Config, v int64) { c.HashMaxListpackEntries = v })
	numConf("hash-max-listpack-value", "hash-max-ziplist-value", 0, 0, maxInt64, true,
		func(c *Config) int64 { return c.HashMaxListpackValue }, func(c *Config, v int64) { c.HashMaxListpackValue = v })
	numConf("set-max-intset-entries", "", 0, 0, maxInt64, false,
		func(c *Config) int64 { return c.SetMaxIntsetEntries }, func(c *Config, v int64) { c.SetMaxIntsetEntries = v })
	numConf("zset-max-listpack-entries", "zset-max-ziplist-entries", 0, 0, maxInt64, false,
		func(c *Config) int64 { return c.ZsetMaxListpackEntries }, func(c *Config, v int64) { c.ZsetMaxListpackEntries = v })
	numConf("zset-max-listpack-value", "zset-max-ziplist-value", 0, 0, maxInt64, true,
		func(c *Config) int64 { return c.ZsetMaxListpackValue }, func(c *Config, v int64) { c.ZsetMaxListpackValue = v })
	numConf("list-max-listpack-size", "list-max-ziplist-size", 0, math.MinInt32, maxInt32, false,
		func(c *Config) int64 { return c.ListMaxListpackSize }, func(c *Config, v int64) { c.ListMaxListpackSize = v })
	numConf("list-compress-depth", "", 0, 0, maxInt32, false,
		func(c *Config) int64 { return c.ListCompressDepth }, func(c *Config, v int64) { c.ListCompressDepth = v })
	enumConf("enable-protected-configs", confImmutable, []string{"no", "yes", "local"},
		func(c *Config) *string { return &c.EnableProtectedConfigs })
	enumConf("enable-debug-command", confImmutable, []string{"no", "yes", "local"},
		func(c *Config) *string { return &c.EnableDebugCommand })
}

func clampHz(v int64) int { return int(min(max(v, minHz), maxHz)) }

func setBind(s *confSetter, args []string) error {
	if len(args) > maxBindAddrs {
		return errors.New("Too many bind addresses specified.")
	}
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	s.cfg.Bind = append([]string(nil), args...)
	return nil
}

func setDaemonize(s *confSetter, args []string) error {
	switch strings.ToLower(args[0]) {
	case "no":
		return nil
	case "yes":
		return errors.New("daemonize yes is not supported: replsim server runs in the foreground")
	}
	return errors.New("argument must be 'yes' or 'no'")
}

func setDir(s *confSetter, args []string) error {
	if len(args) != 1 {
		return errors.New("wrong number of arguments")
	}
	dir := args[0]
	if s.chdir != nil {
		abs, err := s.chdir(dir)
		if err != nil {
			return err
		}
		dir = abs
	}
	s.cfg.Dir = dir
	return nil
}

// setSave takes pairs of seconds and changes; a single "" means no rules.
// While loading, the first save line replaces the defaults and later ones
// add to it, except `save ""`, which clears them (as Redis's
// setConfigSaveOption); CONFIG SET always replaces.
func setSave(s *confSetter, args []string) error {
	reset := false
	if len(args) == 1 && args[0] == "" {
		args, reset = nil, true // `save ""` clears the rules read so far
	}
	if len(args)%2 != 0 {
		return errors.New("Invalid save parameters")
	}
	vals := make([]int64, len(args))
	for j, a := range args {
		v, ok := cStrtoll(a)
		if !ok || (j%2 == 0 && v < 1) || (j%2 == 1 && v < 0) {
			return errors.New("Invalid save parameters")
		}
		vals[j] = v
	}
	var rules []SaveRule
	if s.loading && s.saveLoaded && !reset {
		rules = append(rules, s.cfg.Save...)
	}
	s.saveLoaded = true
	for j := 0; j < len(vals); j += 2 {
		// Redis stores changes in an int.
		rules = append(rules, SaveRule{Seconds: vals[j], Changes: int64(int32(vals[j+1]))})
	}
	s.cfg.Save = rules
	return nil
}

func getSave(c *Config) string {
	var b strings.Builder
	for i, r := range c.Save {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(itoa(r.Seconds) + " " + itoa(r.Changes))
	}
	return b.String()
}

func setReplicaOf(s *confSetter, args []string) error {
	if len(args) != 2 {
		return errors.New("wrong number of arguments")
	}
	s.cfg.ReplicaOfHost, s.cfg.ReplicaOfPort = "", 0
	if strings.EqualFold(args[0], "no") && strings.EqualFold(args[1], "one") {
		return nil
	}
	port, ok := cStrtoll(args[1])
	if !ok || port < 0 || port > 65535 {
		return errors.New("Invalid master port")
	}
	s.cfg.ReplicaOfHost, s.cfg.ReplicaOfPort = args[0], int(port)
	return nil
}

func getReplicaOf(c *Config) string {
	if c.ReplicaOfHost == "" {
		return ""
	}
	return c.ReplicaOfHost + " " + strconv.Itoa(c.ReplicaOfPort)
}
