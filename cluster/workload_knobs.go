package cluster

import (
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// The "knobs" family: the node's timing knobs and server-side odds and
// ends, each with a reply the checker judges.
//
//   - knobExpects (Mode "EXPECT", checker/fixed_replies.go): DEBUG SLEEP
//     for up to 300 ms (the node serves nobody meanwhile: checker/busy.go
//     judges that), DEBUG AOF-FLUSH-SLEEP, COMMAND's introspection, and
//     CONFIG SET of the inert and stats directives with a value Redis
//     refuses, with its exact error.
//   - knobInline (Mode "INLINEX"): commands sent in the inline protocol,
//     quotes and escapes included, whose reply is fixed as well.
//   - knobConfigs (Mode "ADMIN"): CONFIG SET of an inert or stats
//     directive to a value Redis accepts, and CONFIG GET of it: the
//     CONFIG GET must answer what the last accepted CONFIG SET set, in
//     Redis's normalised form (checker/config_get.go).
//
// Every reply was taken from redis-server 7.0.15.
var knobExpects = []tableCmd{
	errCmd("DEBUG SLEEP 0.001", "OK"),
	errCmd("DEBUG SLEEP 0.02", "OK"),
	errCmd("DEBUG SLEEP 0.1", "OK"),
	errCmd("DEBUG SLEEP .3", "OK"),
	errCmd("DEBUG AOF-FLUSH-SLEEP 0", "OK"),
	errCmd("DEBUG AOF-FLUSH-SLEEP 200", "OK"),
	errCmd("DEBUG AOF-FLUSH-SLEEP 2000", "OK"),
	errCmd("COMMAND GETKEYS LMOVE a b LEFT RIGHT", `1) "a" 2) "b"`),
	errCmd("COMMAND LIST FILTERBY MODULE nosuch", "(empty array)"),
	errCmd("CONFIG SET maxmemory-clients abc", "ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - argument must be a memory or percent value"),
	errCmd("CONFIG SET maxmemory-clients 101%", "ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - percentage argument must be less or equal to 100"),
	errCmd("CONFIG SET maxmemory-clients -1", "ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - argument must be a memory or percent value"),
	errCmd("CONFIG SET oom-score-adj maybe", "ERR CONFIG SET failed (possibly related to argument 'oom-score-adj') - argument(s) must be one of the following: no, yes, relative, absolute"),
	errCmd("CONFIG SET oom-score-adj-values 0 200", "ERR syntax error"),
	errCmd("CONFIG SET oom-score-adj-values 0 200 3000", "ERR Unknown option or number of arguments for CONFIG SET - '200'"),
	errCmd("COMMAND LIST FILTERBY PATTERN getd*", `1) "getdel"`),
	errCmd("CONFIG SET proc-title-template {nosuch}", "ERR CONFIG SET failed (possibly related to argument 'proc-title-template') - template format is invalid or contains unknown variables"),
	errCmd("CONFIG SET proc-title-template {title", "ERR CONFIG SET failed (possibly related to argument 'proc-title-template') - template format is invalid or contains unknown variables"),
	errCmd("CONFIG SET latency-tracking maybe", "ERR CONFIG SET failed (possibly related to argument 'latency-tracking') - argument must be 'yes' or 'no'"),
	errCmd("CONFIG SET latency-tracking-info-percentiles 101", "ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"),
	errCmd("CONFIG SET latency-tracking-info-percentiles abc", "ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - Invalid latency-tracking-info-percentiles parameters"),
	errCmd("CONFIG SET latency-tracking-info-percentiles -1", "ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"),
	errCmd("CONFIG SET watchdog-period -1", "ERR CONFIG SET failed (possibly related to argument 'watchdog-period') - argument must be between 0 and 2147483647 inclusive"),
	errCmd("CONFIG SET watchdog-period x", "ERR CONFIG SET failed (possibly related to argument 'watchdog-period') - argument couldn't be parsed into an integer"),
	errCmd("CONFIG SET shutdown-timeout -1", "ERR CONFIG SET failed (possibly related to argument 'shutdown-timeout') - argument must be between 0 and 2147483647 inclusive"),
	errCmd("CONFIG SET rdb-key-save-delay x", "ERR CONFIG SET failed (possibly related to argument 'rdb-key-save-delay') - argument couldn't be parsed into an integer"),
}

// knobInline are sent in the inline protocol (Mode "INLINEX"): words
// split at spaces, "..." with escapes and '...' quoting one argument.
var knobInline = []tableCmd{
	errCmd(`ECHO "a b"`, `"a b"`),
	errCmd(`ECHO 'x y'`, `"x y"`),
	errCmd(`ECHO "\x41\x42"`, `"AB"`),
	errCmd(`ECHO ""`, `""`),
	errCmd(`PING "hi there"`, `"hi there"`),
	errCmd(`EXISTS nosuchkey1 "nosuch key2"`, "(integer) 0"),
	errCmd(`SET`, "ERR wrong number of arguments for 'set' command"),
	errCmd(`COMMAND GETKEYS SET "a k" v`, `1) "a k"`),
	// A multi-valued directive takes its values as one argument.
	errCmd(`CONFIG SET oom-score-adj-values "0 200"`, "ERR CONFIG SET failed (possibly related to argument 'oom-score-adj-values') - wrong number of arguments"),
	errCmd(`CONFIG SET oom-score-adj-values "0 200 3000"`, "ERR CONFIG SET failed (possibly related to argument 'oom-score-adj-values') - Invalid oom-score-adj-values, elements must be between -2000 and 2000."),
	errCmd(`CONFIG SET oom-score-adj-values "a b c"`, "ERR CONFIG SET failed (possibly related to argument 'oom-score-adj-values') - Invalid oom-score-adj-values, elements must be between -2000 and 2000."),
	errCmd(`CONFIG SET latency-tracking-info-percentiles "50 101"`, "ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"),
}

// knobConfigs set inert and stats directives to values Redis accepts
// (and normalises: 1mb reads back as 1048576, relative as yes), and
// read them back.
var knobConfigs = []tableCmd{
	tcmd("CONFIG SET maxmemory-clients 1mb"), tcmd("CONFIG SET maxmemory-clients 10%"), tcmd("CONFIG SET maxmemory-clients 0"),
	tcmd("CONFIG SET maxmemory-clients 1G"), tcmd("CONFIG SET maxmemory-clients 5k"), tcmd("CONFIG SET maxmemory-clients 1gb"),
	tcmd("CONFIG SET oom-score-adj YES"), tcmd("CONFIG SET oom-score-adj relative"), tcmd("CONFIG SET oom-score-adj absolute"),
	tcmd("CONFIG SET oom-score-adj no"),
	tcmd("CONFIG SET proc-title-template {title}_{port}"), tcmd("CONFIG SET proc-title-template {title}"),
	tcmd("CONFIG SET latency-tracking no"), tcmd("CONFIG SET latency-tracking YES"),
	tcmd("CONFIG SET latency-tracking-info-percentiles 99.90"), tcmd("CONFIG SET latency-tracking-info-percentiles 50.0"),
	tcmd("CONFIG SET latency-tracking-info-percentiles 1e1"),
	tcmd("CONFIG SET watchdog-period 0"),
	tcmd("CONFIG GET maxmemory-clients"), tcmd("CONFIG GET oom-score-adj"),
	tcmd("CONFIG GET proc-title-template"), tcmd("CONFIG GET latency-tracking"),
	tcmd("CONFIG GET latency-tracking-info-percentiles"), tcmd("CONFIG GET watchdog-period"),
}

func drawKnobs(r *sim.Rand, op *checker.Op, _ int) {
	switch r.IntN(10) {
	case 0, 1, 2, 3:
		drawTable(r, op, knobConfigs, "ADMIN")
	case 4, 5:
		drawTable(r, op, knobInline, "INLINEX")
	default:
		drawTable(r, op, knobExpects, "EXPECT")
	}
}
