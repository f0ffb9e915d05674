package node

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// StatsConfig holds the directives of INFO's statistics.
type StatsConfig struct {
	// LatencyTracking is latency-tracking: keep a latency histogram per
	// command for INFO latencystats.
	LatencyTracking bool
	// LatencyPercentiles is latency-tracking-info-percentiles: the
	// percentiles INFO latencystats reports, each in [0, 100].
	LatencyPercentiles []float64
}

// defaultStatsConfig is Redis 7.0's default.
func defaultStatsConfig() StatsConfig {
	return StatsConfig{LatencyTracking: true, LatencyPercentiles: []float64{50, 99, 99.9}}
}

func init() {
	boolConf("latency-tracking", "", 0, func(c *Config) *bool { return &c.LatencyTracking })
	defineConf("latency-tracking-info-percentiles", "", confMultiArg, setLatencyPercentiles,
		func(c *Config) string {
			parts := make([]string, len(c.LatencyPercentiles))
			for i, p := range c.LatencyPercentiles {
				parts[i] = formatPercentile(p)
			}
			return strings.Join(parts, " ")
		})
}

// setLatencyPercentiles parses the percentiles; one empty argument means
// none, as in Redis.
func setLatencyPercentiles(s *confSetter, args []string) error {
	if len(args) == 1 && args[0] == "" {
		s.cfg.LatencyPercentiles = nil
		return nil
	}
	ps := make([]float64, len(args))
	for i, a := range args {
		p, err := strconv.ParseFloat(strtodHex(a), 64)
		if err != nil || a == "" || math.IsNaN(p) || strings.ContainsRune(a, '_') {
			return errors.New("Invalid latency-tracking-info-percentiles parameters")
		}
		if p > 100 || p < 0 {
			return errors.New("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]")
		}
		ps[i] = p
	}
	s.cfg.LatencyPercentiles = ps
	return nil
}

// strtodHex gives a hexadecimal number without a binary exponent the "p0"
// Go's ParseFloat requires (strtod does without).
func strtodHex(s string) string {
	t := strings.TrimLeft(s, "+-")
	if len(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') && !strings.ContainsAny(t, "pP") {
		return s + "p0"
	}
	return s
}

// formatPercentile prints p as Redis does: "%f" with trailing zeros (and a
// trailing point) trimmed.
func formatPercentile(p float64) string {
	s := strconv.FormatFloat(p, 'f', 6, 64)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	return s
}
