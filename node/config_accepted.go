package node

import (
	"errors"
	"strconv"
	"strings"
)

// Directives replsim accepts, keeps and shows in CONFIG GET with Redis's
// values, though they change nothing here (no process title, no OOM score,
// no client eviction): redis-server's tests and tools read
// them back. A config file naming them still gets a warning that they have
// no effect.

// AcceptedConfig holds those directives' values.
type AcceptedConfig struct {
	ProcTitleTemplate string
	OOMScoreAdj       string
	OOMScoreAdjValues [3]int64
	UseExitOnPanic    bool
	WatchdogPeriod    int64
	// MaxMemoryClients is maxmemory-clients in bytes, or minus a
	// percentage of maxmemory ("10%" is -10); no client is evicted here.
	MaxMemoryClients int64
}

// defaultAcceptedConfig is Redis 7.0's default.
func defaultAcceptedConfig() AcceptedConfig {
	return AcceptedConfig{
		ProcTitleTemplate: "{title} {listen-addr} {server-mode}",
		OOMScoreAdj:       "no",
		OOMScoreAdjValues: [3]int64{0, 200, 800},
	}
}

func init() {
	stringConf("proc-title-template", confNoEffect, validProcTitleTemplate, func(c *Config) *string { return &c.ProcTitleTemplate })
	enumConf("oom-score-adj", confNoEffect, []string{"no", "yes", "relative", "absolute"}, func(c *Config) *string { return &c.OOMScoreAdj })
	// relative is an alias of yes (the same value in Redis's enum, whose
	// first name CONFIG GET and CONFIG REWRITE show).
	confOOMAdj := lookupConf("oom-score-adj")
	set := confOOMAdj.set
	confOOMAdj.set = func(s *confSetter, args []string) error {
		if err := set(s, args); err != nil {
			return err
		}
		if s.cfg.OOMScoreAdj == "relative" {
			s.cfg.OOMScoreAdj = "yes"
		}
		return nil
	}
	defineConf("oom-score-adj-values", "", confMultiArg|confNoEffect, setOOMScoreAdjValues, func(c *Config) string {
		v := c.OOMScoreAdjValues
		return itoa(v[0]) + " " + itoa(v[1]) + " " + itoa(v[2])
	})
	boolConf("use-exit-on-panic", "", confImmutable|confHidden|confNoEffect, func(c *Config) *bool { return &c.UseExitOnPanic })
	defineConf("maxmemory-clients", "", confNoEffect, setMaxMemoryClients, func(c *Config) string {
		if c.MaxMemoryClients < 0 {
			return itoa(-c.MaxMemoryClients) + "%"
		}
		return itoa(c.MaxMemoryClients)
	})
	numConf("watchdog-period", "", confHidden|confNoEffect, 0, maxInt32, false,
		func(c *Config) int64 { return c.WatchdogPeriod }, func(c *Config, v int64) { c.WatchdogPeriod = v })
}

// validProcTitleTemplate is Redis's validateProcTitleTemplate: the
// template expands (known {variables}, "{{" for a brace) to something
// other than blanks.
func validProcTitleTemplate(t string) error {
	bad := errors.New("template format is invalid or contains unknown variables")
	var out strings.Builder
	for p := t; p != ""; {
		i := strings.IndexByte(p, '{')
		if i < 0 {
			out.WriteString(p)
			break
		}
		out.WriteString(p[:i])
		p = p[i+1:]
		if p == "" {
			return bad
		}
		if p[0] == '{' {
			out.WriteByte('{')
			p = p[1:]
			continue
		}
		j := strings.IndexByte(p, '}')
		if j < 0 {
			return bad
		}
		switch p[:j] {
		case "title", "server-mode":
		case "listen-addr", "config-file", "port", "tls-port", "unixsocket":
			out.WriteString("x")
		default:
			return bad
		}
		p = p[j+1:]
	}
	if strings.Trim(out.String(), " ") == "" {
		return bad
	}
	return nil
}

func setOOMScoreAdjValues(s *confSetter, args []string) error {
	if len(args) != 3 {
		return errors.New("wrong number of arguments")
	}
	var v [3]int64
	for i, a := range args {
		n, ok := strtollWhole(a)
		if !ok || n < -2000 || n > 2000 {
			return errors.New("Invalid oom-score-adj-values, elements must be between -2000 and 2000.")
		}
		v[i] = n
	}
	s.cfg.OOMScoreAdjValues = v
	return nil
}

// strtollWhole parses s as C's strtoll(s, &end, 10) with *end == '\0'
// required: leading blanks and a sign allowed, "" is 0.
func strtollWhole(s string) (int64, bool) {
	if s == "" {
		return 0, true
	}
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	n, err := strconv.ParseInt(t, 10, 64)
	return n, err == nil && !strings.HasPrefix(t, "+-") && t != ""
}

// setMaxMemoryClients parses a memory value or a percentage, as Redis's
// numeric configs with MEMORY_CONFIG|PERCENT_CONFIG (-100..SSIZE_MAX,
// percentages stored negative).
func setMaxMemoryClients(s *confSetter, args []string) error {
	a := args[0]
	var v int64
	if u, ok := memToUint64(a); ok {
		v = int64(u)
	} else if p, ok := parseInt([]byte(strings.TrimSuffix(a, "%"))); ok && len(a) > 1 && strings.HasSuffix(a, "%") && p >= 0 {
		v = -p
	} else {
		return errors.New("argument must be a memory or percent value")
	}
	if v < -100 {
		return errors.New("percentage argument must be less or equal to 100")
	}
	s.cfg.MaxMemoryClients = v
	return nil
}
