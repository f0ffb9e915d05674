package node

import (
	"errors"
	"strconv"
	"strings"
)

// LimitsConfig holds Redis's resource limits: how many clients, how much
// unsent output per client class, and how much memory the dataset may use.
type LimitsConfig struct {
	// MaxClients is maxclients: accepting more connections answers
	// "-ERR max number of clients reached" and closes them.
	MaxClients int64
	// OutputLimits is client-output-buffer-limit, by client class.
	OutputLimits [outputClasses]OutputLimit
	// MaxMemory is maxmemory in bytes (0: no limit).
	MaxMemory int64
	// MaxMemoryPolicy is maxmemory-policy (noeviction, allkeys-lru, ...).
	MaxMemoryPolicy string
	// MaxMemorySamples is maxmemory-samples.
	MaxMemorySamples int64
	// QueryBufferLimit is client-query-buffer-limit: a client with more
	// unparsed input is closed.
	QueryBufferLimit int64
}

// OutputLimit is one class of client-output-buffer-limit: a client whose
// unsent output reaches Hard bytes, or stays at or above Soft bytes for
// more than SoftSeconds, is closed. Zero disables a limit.
type OutputLimit struct {
	Hard, Soft  int64
	SoftSeconds int64
}

// Client classes of client-output-buffer-limit, in CONFIG GET order.
const (
	classNormal = iota
	classReplica
	classPubsub
	outputClasses
)

var outputClassNames = [outputClasses]string{"normal", "slave", "pubsub"}

// defaultLimitsConfig is Redis 7.0's default.
func defaultLimitsConfig() LimitsConfig {
	return LimitsConfig{
		MaxClients: 10000,
		OutputLimits: [outputClasses]OutputLimit{
			classNormal:  {},
			classReplica: {Hard: 256 << 20, Soft: 64 << 20, SoftSeconds: 60},
			classPubsub:  {Hard: 32 << 20, Soft: 8 << 20, SoftSeconds: 60},
		},
		MaxMemoryPolicy:  "noeviction",
		MaxMemorySamples: 5,
		QueryBufferLimit: 1 << 30,
	}
}

// Eviction policies of maxmemory-policy, as Redis names them.
var maxmemoryPolicies = []string{"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
	"allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"}

func init() {
	numConf("maxclients", "", 0, 1, maxInt32, false,
		func(c *Config) int64 { return c.MaxClients }, func(c *Config, v int64) { c.MaxClients = v })
	defineConf("client-output-buffer-limit", "", confMultiArg, setOutputLimits, getOutputLimits)
	numConf("maxmemory", "", 0, 0, maxInt64, true,
		func(c *Config) int64 { return c.MaxMemory }, func(c *Config, v int64) { c.MaxMemory = v })
	enumConf("maxmemory-policy", 0, maxmemoryPolicies, func(c *Config) *string { return &c.MaxMemoryPolicy })
	numConf("maxmemory-samples", "", 0, 1, 64, false,
		func(c *Config) int64 { return c.MaxMemorySamples }, func(c *Config, v int64) { c.MaxMemorySamples = v })
	numConf("client-query-buffer-limit", "", 0, 1<<20, maxInt64, true,
		func(c *Config) int64 { return c.QueryBufferLimit }, func(c *Config, v int64) { c.QueryBufferLimit = v })
}

// outputClassByName is getClientTypeByName for the classes a limit may
// name (master is refused).
func outputClassByName(name string) int {
	switch strings.ToLower(name) {
	case "normal":
		return classNormal
	case "slave", "replica":
		return classReplica
	case "pubsub":
		return classPubsub
	}
	return -1
}

// setOutputLimits parses "<class> <hard> <soft> <seconds> ..." as Redis's
// updateClientOutputBufferLimit does: all or nothing.
func setOutputLimits(s *confSetter, args []string) error {
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	if len(args)%4 != 0 {
		return errors.New("Wrong number of arguments in buffer limit configuration.")
	}
	limits := s.cfg.OutputLimits
	for j := 0; j < len(args); j += 4 {
		class := outputClassByName(args[j])
		if class < 0 {
			return errors.New("Invalid client class specified in buffer limit configuration.")
		}
		hard, okHard := memToUint64(args[j+1])
		soft, okSoft := memToUint64(args[j+2])
		secs, okSecs := cStrtoll(args[j+3])
		if !okHard || !okSoft || !okSecs || secs < 0 {
			return errors.New("Error in hard, soft or soft_seconds setting in buffer limit configuration.")
		}
		limits[class] = OutputLimit{Hard: int64(hard), Soft: int64(soft), SoftSeconds: int64(int32(secs))}
	}
	s.cfg.OutputLimits = limits
	return nil
}

func getOutputLimits(c *Config) string {
	var b strings.Builder
	for class, l := range c.OutputLimits {
		if class > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(outputClassNames[class] + " " + strconv.FormatUint(uint64(l.Hard), 10) + " " +
			strconv.FormatUint(uint64(l.Soft), 10) + " " + strconv.FormatInt(l.SoftSeconds, 10))
	}
	return b.String()
}
