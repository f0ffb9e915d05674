package cluster

import (
	"slices"

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
//
// knobExpects is every fixed reply of the family: knobBase, and the
// CONFIG SET refusals and COMMAND introspection of
// workload_knobs_tables.go (each drawn on its own, so that the others,
// DEBUG SLEEP first, keep their share).
var knobExpects = slices.Concat(knobBase, knobConfigErrors, knobCommandIntro)

var knobBase = []tableCmd{
	errCmd("DEBUG SLEEP 0.001", "OK"),
	errCmd("DEBUG SLEEP 0.02", "OK"),
	errCmd("DEBUG SLEEP 0.1", "OK"),
	errCmd("DEBUG SLEEP .3", "OK"),
	errCmd("DEBUG AOF-FLUSH-SLEEP 0", "OK"),
	errCmd("DEBUG AOF-FLUSH-SLEEP 200", "OK"),
	errCmd("DEBUG AOF-FLUSH-SLEEP 2000", "OK"),
	errCmd("DEBUG AOF-FLUSH-SLEEP 1", "OK"), // the least sleep: one microsecond
	errCmd("COMMAND GETKEYS LMOVE a b LEFT RIGHT", `1) "a" 2) "b"`),
	errCmd("COMMAND LIST FILTERBY MODULE nosuch", "(empty array)"),
	errCmd("COMMAND LIST FILTERBY ACLCAT nosuch", "(empty array)"),
	errCmd("COMMAND GETKEYSANDFLAGS SET k v", `1) 1) "k"    2) 1) OW       2) update`),
	errCmd("COMMAND GETKEYSANDFLAGS LMOVE a b LEFT RIGHT", `1) 1) "a"    2) 1) RW       2) access       3) delete 2) 1) "b"    2) 1) RW       2) insert`),
	errCmd("COMMAND INFO config|get", `1)  1) "config|get"     2) (integer) -3     3) 1) admin        2) noscript        3) loading        4) stale     4) (integer) 0     5) (integer) 0     6) (integer) 0     7) 1) @admin        2) @slow        3) @dangerous     8) (empty array)     9) (empty array)    10) (empty array)`),
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
	errCmd("CONFIG SET daemonize yes", "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config"),
	errCmd("CONFIG SET dir /tmp", "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config"),
	// A flags value is one argument with spaces.
	{words: []string{"CONFIG", "SET", "shutdown-on-sigint", "save nosave"}, reply: "ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigint') - shutdown options SAVE and NOSAVE can't be used simultaneously"},
	{words: []string{"CONFIG", "SET", "shutdown-on-sigterm", "nosave save now"}, reply: "ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigterm') - shutdown options SAVE and NOSAVE can't be used simultaneously"},
	errCmd("CONFIG SET shutdown-on-sigterm bogus", "ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigterm') - argument(s) must be one of the following: default, save, nosave, now, force"),
	errCmd("CONFIG SET hz 10 nosuch 1", "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"),
	// Atomic: maxmemory-clients keeps its value (checker/config_get.go).
	errCmd("CONFIG SET maxmemory-clients 5k oom-score-adj maybe", "ERR CONFIG SET failed (possibly related to argument 'oom-score-adj') - argument(s) must be one of the following: no, yes, relative, absolute"),
	errCmd("CONFIG SET latency-tracking yes latency-tracking no", "ERR CONFIG SET failed (possibly related to argument 'latency-tracking') - duplicate parameter"),
	errCmd("CONFIG RESETSTAT x", "ERR wrong number of arguments for 'config|resetstat' command"),
	errCmd("CONFIG HELP", " 1) CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:  2) GET <pattern>  3)     Return parameters matching the glob-like <pattern> and their values.  4) SET <directive> <value>  5)     Set the configuration <directive> to <value>.  6) RESETSTAT  7)     Reset statistics reported by the INFO command.  8) REWRITE  9)     Rewrite the configuration file. 10) HELP 11)     Prints this help."),
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
	// Escapes inside quotes (replies as the recorder shows them).
	errCmd(`ECHO "t\tn\n"`, `"t\tn\n"`),
	errCmd(`ECHO 'it\'s'`, `"it's"`),
	errCmd(`ECHO "q\"q"`, `"q\"q"`),
	errCmd(`ECHO "\a\b\r\z"`, `"\a\b\rz"`),
	errCmd(`ECHO "\xZZ"`, `"xZZ"`),
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
	// Several directives at once (all set, or none), and CONFIG GET of
	// several names or patterns (each judged directive it shows is
	// judged, in whatever order: Redis's is a random dict's).
	tcmd("CONFIG SET oom-score-adj yes watchdog-period 0"), tcmd("CONFIG SET maxmemory-clients 2mb latency-tracking no"),
	tcmd("CONFIG SET oom-score-adj no maxmemory-clients 0 latency-tracking-info-percentiles 50"),
	tcmd("CONFIG SET latency-tracking YES latency-tracking-info-percentiles 99.5 maxmemory-clients 3%"),
	tcmd("CONFIG GET latency-tracking*"), tcmd("CONFIG GET oom-score-adj watchdog-period"),
	tcmd("CONFIG GET proc-title-template maxmemory-clients oom-score-adj"), tcmd("CONFIG GET OOM-SCORE-ADJ"),
	tcmd("CONFIG GET ?atency-tracking"), tcmd("CONFIG GET [lw]*-tracking"), tcmd("CONFIG GET oom-score-adj*"),
	tcmd("CONFIG GET *clients"),
}

func drawKnobs(r *sim.Rand, op *checker.Op, _ int) {
	switch r.IntN(12) {
	case 0, 1, 2, 3:
		drawTable(r, op, knobConfigs, "ADMIN")
	case 4, 5:
		drawTable(r, op, knobInline, "INLINEX")
	case 10:
		drawTable(r, op, knobConfigErrors, "EXPECT")
	case 11:
		drawTable(r, op, knobCommandIntro, "EXPECT")
	default:
		drawTable(r, op, knobBase, "EXPECT")
	}
}
