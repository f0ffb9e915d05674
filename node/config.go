package node

// SaveRule is one `save <seconds> <changes>` directive.
type SaveRule struct {
	Seconds int64
	Changes int64
}

// Config holds the node's settings, named after the redis.conf directives
// they mirror.
type Config struct {
	Port                  int
	Bind                  []string
	Dir                   string // informational: the environment's FS is rooted there
	LogFile               string
	LogLevel              string // debug | verbose | notice | warning | nothing
	Databases             int
	RequirePass           string
	MasterAuth            string
	ReplicaOfHost         string // "" = master
	ReplicaOfPort         int
	ReplBacklogSize       int64
	ReplTimeoutSec        int64
	ReplPingPeriodSec     int64
	ReplicaReadOnly       bool
	ReplicaServeStaleData bool
	ReplDisklessSync      bool
	DBFilename            string
	RDBCompression        bool
	RDBChecksum           bool
	Save                  []SaveRule
	AppendOnly            bool
	AppendFsync           string // always | everysec | no
	AppendFilename        string
	AppendDirname         string
	AofLoadTruncated      bool
	StopWritesOnBgsaveErr bool
	ProtoMaxBulkLen       int64
	ReplDisklessSyncDelay int64
	Hz                    int
	// EnableProtectedConfigs is enable-protected-configs: "no", "yes" or
	// "local"; it decides whether CONFIG SET may change dir and dbfilename.
	EnableProtectedConfigs string
	// EnableDebugCommand is enable-debug-command: "no" (Redis's
	// default), "yes" or "local"; it decides who may send DEBUG.
	EnableDebugCommand string
	// AlwaysShowLogo is always-show-logo: the server logs the ASCII logo
	// (see Logo) at startup in place of the "Running mode=" line.
	AlwaysShowLogo bool
	// ConfigFile is the absolute path of the config file the server was
	// started with, "" when none (CONFIG REWRITE needs it).
	ConfigFile string
	// Encoding thresholds of the collection types (hash-max-listpack-entries
	// and friends): a collection beyond them converts to its big encoding.
	HashMaxListpackEntries int64
	HashMaxListpackValue   int64
	SetMaxIntsetEntries    int64
	ZsetMaxListpackEntries int64
	ZsetMaxListpackValue   int64
	// ListMaxListpackSize is list-max-listpack-size: a positive number of
	// elements per quicklist node, or -1..-5 for 4..64 KB nodes.
	ListMaxListpackSize int64
	// ListCompressDepth is list-compress-depth. Lists keep inner nodes
	// uncompressed whatever it says (it changes memory, not data).
	ListCompressDepth int64
	// LimitsConfig: maxclients, client-output-buffer-limit, maxmemory.
	LimitsConfig
	// KnobsConfig: repl-backlog-ttl, min-replicas, shutdown-timeout, AOF
	// rewrite policy, testing delays (config_knobs.go).
	KnobsConfig
	// StatsConfig: latency-tracking and its percentiles.
	StatsConfig
	// AcceptedConfig: directives kept for CONFIG GET that change nothing
	// here (proc-title-template, oom-score-adj, shutdown-on-sigint, ...).
	AcceptedConfig
	// Bugs switches on planted bugs by name (see bugs.go); tests only.
	Bugs map[string]bool
}

// DefaultConfig returns Redis 7.0's defaults.
func DefaultConfig() Config {
	return Config{
		Port:                   6379,
		Databases:              16,
		ReplBacklogSize:        1 << 20,
		ReplTimeoutSec:         60,
		ReplPingPeriodSec:      10,
		ReplicaReadOnly:        true,
		ReplicaServeStaleData:  true,
		DBFilename:             "dump.rdb",
		RDBCompression:         true,
		RDBChecksum:            true,
		Save:                   []SaveRule{{3600, 1}, {300, 100}, {60, 10000}},
		AppendFsync:            "everysec",
		AppendFilename:         "appendonly.aof",
		AppendDirname:          "appendonlydir",
		AofLoadTruncated:       true,
		StopWritesOnBgsaveErr:  true,
		ProtoMaxBulkLen:        512 << 20,
		ReplDisklessSync:       true,
		ReplDisklessSyncDelay:  5,
		Dir:                    ".",
		Hz:                     10,
		LogLevel:               "notice",
		EnableProtectedConfigs: "no",
		EnableDebugCommand:     "no",
		HashMaxListpackEntries: 512,
		HashMaxListpackValue:   64,
		SetMaxIntsetEntries:    512,
		ZsetMaxListpackEntries: 128,
		ZsetMaxListpackValue:   64,
		ListMaxListpackSize:    -2,
		LimitsConfig:           defaultLimitsConfig(),
		KnobsConfig:            defaultKnobsConfig(),
		StatsConfig:            defaultStatsConfig(),
		AcceptedConfig:         defaultAcceptedConfig(),
	}
}
