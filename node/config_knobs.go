package node

import "math"

// KnobsConfig holds the replication and persistence knobs Redis 7.0 has
// beyond the basics in Config: backlog lifetime, min-replicas, shutdown
// waiting, the AOF rewrite policy and the testing delays Redis's own suite
// sets.
type KnobsConfig struct {
	// ReplBacklogTTLSec is repl-backlog-ttl: a master without replicas
	// frees its backlog after this many seconds (0: never).
	ReplBacklogTTLSec int64
	// MinReplicasToWrite and MinReplicasMaxLag are min-replicas-to-write
	// and min-replicas-max-lag: with the first above 0, a master refuses
	// writes (NOREPLICAS) unless that many replicas acked within the lag.
	MinReplicasToWrite int64
	MinReplicasMaxLag  int64
	// ReplDisklessSyncMaxReplicas is repl-diskless-sync-max-replicas: a
	// diskless sync starts before the delay once that many replicas wait
	// (0: no limit).
	ReplDisklessSyncMaxReplicas int64
	// ShutdownTimeoutSec is shutdown-timeout: how long SHUTDOWN waits for
	// lagging replicas.
	ShutdownTimeoutSec int64
	// ShutdownOnSigterm and ShutdownOnSigint are the SHUTDOWN flags a
	// signal uses (shutdown-on-sigterm / -sigint: save, nosave, now,
	// force; 0 is "default").
	ShutdownOnSigterm int
	ShutdownOnSigint  int
	// RdbKeySaveDelay and KeyLoadDelay are the testing knobs
	// rdb-key-save-delay and key-load-delay: microseconds spent per key
	// saved (by a background save) or loaded.
	RdbKeySaveDelay int64
	KeyLoadDelay    int64
	// AofTimestampEnabled is aof-timestamp-enabled: "#TS:<unix s>" lines
	// in the AOF.
	AofTimestampEnabled bool
	// AofUseRdbPreamble is aof-use-rdb-preamble: an AOF rewrite writes its
	// base as RDB.
	AofUseRdbPreamble bool
	// AofDisableAutoGC is aof-disable-auto-gc: history AOF files are kept.
	AofDisableAutoGC bool
	// AutoAofRewritePercentage and AutoAofRewriteMinSize trigger an AOF
	// rewrite when the AOF grew that much over its base (0: never).
	AutoAofRewritePercentage int64
	AutoAofRewriteMinSize    int64
	// ReplDisklessLoad is repl-diskless-load (disabled, on-empty-db,
	// swapdb). The node's replica always receives the RDB into memory
	// and loads it at the end, whatever the setting says.
	ReplDisklessLoad string
}

func defaultKnobsConfig() KnobsConfig {
	return KnobsConfig{
		ReplBacklogTTLSec:        3600,
		MinReplicasMaxLag:        10,
		ShutdownTimeoutSec:       10,
		AofUseRdbPreamble:        true,
		AutoAofRewritePercentage: 100,
		AutoAofRewriteMinSize:    64 << 20,
		ReplDisklessLoad:         "disabled",
	}
}

func init() {
	k := func(c *Config) *KnobsConfig { return &c.KnobsConfig }
	intKnob := func(name, alias string, flags confFlag, lo, hi int64, memory bool, f func(*KnobsConfig) *int64) {
		numConf(name, alias, flags, lo, hi, memory,
			func(c *Config) int64 { return *f(k(c)) }, func(c *Config, v int64) { *f(k(c)) = v })
	}
	intKnob("repl-backlog-ttl", "", 0, 0, math.MaxInt64, false, func(k *KnobsConfig) *int64 { return &k.ReplBacklogTTLSec })
	intKnob("min-replicas-to-write", "min-slaves-to-write", 0, 0, maxInt32, false, func(k *KnobsConfig) *int64 { return &k.MinReplicasToWrite })
	intKnob("min-replicas-max-lag", "min-slaves-max-lag", 0, 0, maxInt32, false, func(k *KnobsConfig) *int64 { return &k.MinReplicasMaxLag })
	intKnob("repl-diskless-sync-max-replicas", "", 0, 0, maxInt32, false, func(k *KnobsConfig) *int64 { return &k.ReplDisklessSyncMaxReplicas })
	intKnob("shutdown-timeout", "", 0, 0, maxInt32, false, func(k *KnobsConfig) *int64 { return &k.ShutdownTimeoutSec })
	intKnob("rdb-key-save-delay", "", confHidden, math.MinInt32, maxInt32, false, func(k *KnobsConfig) *int64 { return &k.RdbKeySaveDelay })
	intKnob("key-load-delay", "", confHidden, math.MinInt32, maxInt32, false, func(k *KnobsConfig) *int64 { return &k.KeyLoadDelay })
	intKnob("auto-aof-rewrite-percentage", "", 0, 0, maxInt32, false, func(k *KnobsConfig) *int64 { return &k.AutoAofRewritePercentage })
	intKnob("auto-aof-rewrite-min-size", "", 0, 0, math.MaxInt64, true, func(k *KnobsConfig) *int64 { return &k.AutoAofRewriteMinSize })
	boolConf("aof-timestamp-enabled", "", 0, func(c *Config) *bool { return &k(c).AofTimestampEnabled })
	boolConf("aof-use-rdb-preamble", "", 0, func(c *Config) *bool { return &k(c).AofUseRdbPreamble })
	enumConf("repl-diskless-load", 0, []string{"disabled", "on-empty-db", "swapdb"}, func(c *Config) *string { return &k(c).ReplDisklessLoad })
	boolConf("aof-disable-auto-gc", "", 0, func(c *Config) *bool { return &k(c).AofDisableAutoGC })
}
