package cluster

import (
	"strings"

	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/sim"
)

// Two command families drawn from fixed tables: "admin", the introspection
// commands a client or an operator sends (INFO, CONFIG GET, CLIENT, COMMAND,
// DEBUG DIGEST, OBJECT, MEMORY USAGE, ROLE, ...), whose replies describe the
// node rather than the data and are not judged (checker.OpRead, Mode
// "ADMIN"); and "errors", malformed commands (wrong arity, unknown commands
// and options, bad integers) whose error reply is the same whatever the
// data, so the checker judges it exactly (Mode "EXPECT", the reply in
// Value: checker/fixed_replies.go). "$k" in a template is the drawn key.

// tableCmd is one command of a table: its words, and for the errors
// family the reply it must get.
type tableCmd struct {
	words []string
	reply string
}

func tcmd(s string) tableCmd { return tableCmd{words: strings.Fields(s)} }

func errCmd(s, reply string) tableCmd { return tableCmd{words: strings.Fields(s), reply: reply} }

// adminReads never change the dataset (none has the form of a command of
// the other families: an operation list reads these tables first), nor the connection in a way the
// client would notice (CLIENT SETNAME names it; CLIENT KILL kills nobody).
var adminReads = []tableCmd{
	tcmd("INFO"), tcmd("INFO server"), tcmd("INFO clients"), tcmd("INFO memory"), tcmd("INFO persistence"),
	tcmd("INFO stats"), tcmd("INFO replication"), tcmd("INFO keyspace"), tcmd("INFO all"), tcmd("INFO everything"),
	tcmd("INFO default"), tcmd("INFO cpu commandstats"), tcmd("INFO nosuchsection"),
	tcmd("CONFIG GET *"), tcmd("CONFIG GET maxmemory"), tcmd("CONFIG GET repl-*"), tcmd("CONFIG GET save appendonly"),
	tcmd("CONFIG GET *fsync*"), tcmd("CONFIG GET replica-*"), tcmd("CONFIG GET nosuchparam"),
	tcmd("CONFIG GET client-output-buffer-limit"), tcmd("CONFIG RESETSTAT"),
	// CONFIG SET to the values every node has (the defaults): the node
	// parses and applies them, nothing changes.
	tcmd("CONFIG SET hz 10"), tcmd("CONFIG SET maxmemory-samples 5"), tcmd("CONFIG SET loglevel notice"),
	tcmd("CONFIG SET client-output-buffer-limit normal 0 0 0"), tcmd("CONFIG SET proto-max-bulk-len 512mb"),
	tcmd("CLIENT ID"), tcmd("CLIENT INFO"), tcmd("CLIENT LIST"), tcmd("CLIENT LIST TYPE normal"),
	tcmd("CLIENT LIST TYPE replica"), tcmd("CLIENT LIST TYPE master"), tcmd("CLIENT LIST ID 1 2 3"),
	tcmd("CLIENT GETNAME"), tcmd("CLIENT SETNAME probe"), tcmd("CLIENT KILL ID 999999"),
	tcmd("CLIENT KILL TYPE pubsub SKIPME yes"), tcmd("CLIENT KILL ADDR 10.9.9.9:1 SKIPME no"),
	tcmd("COMMAND COUNT"), tcmd("COMMAND INFO get set incrbyfloat nosuch"), tcmd("COMMAND DOCS"), tcmd("COMMAND"),
	tcmd("DEBUG DIGEST"), tcmd("DEBUG DIGEST-VALUE $k"),
	tcmd("MEMORY USAGE $k"), tcmd("MEMORY USAGE $k SAMPLES 0"),
	tcmd("ROLE"), tcmd("LASTSAVE"), tcmd("RANDOMKEY"), tcmd("ECHO hello"), tcmd("PING"), tcmd("PING hi"),
	tcmd("HELLO"), tcmd("HELLO 2"),
	tcmd("SCAN 0 MATCH *k1* COUNT 5"), tcmd("SCAN 0 TYPE string"), tcmd("KEYS *1"), tcmd("KEYS ?[0-3]"),
	tcmd("KEYS *[^2]"), tcmd("EXISTS $k $k"), tcmd("SELECT 0"),
	// More replicas than any seed has, for a millisecond: the WAIT returns
	// at its deadline with its count (the workload's own WAITs wait 100 ms).
	tcmd("WAIT 9 1"),
}

// errorCmds get the same error whatever the data (checked against Redis
// 7.0.15). Unknown commands, unknown subcommands and wrong arity are
// refused before authentication; the rest after it.
var errorCmds = []tableCmd{
	errCmd("GET", "ERR wrong number of arguments for 'get' command"),
	errCmd("GET $k extra", "ERR wrong number of arguments for 'get' command"),
	errCmd("MSET $k", "ERR wrong number of arguments for 'mset' command"),
	errCmd("APPEND $k", "ERR wrong number of arguments for 'append' command"),
	errCmd("CONFIG GET", "ERR wrong number of arguments for 'config|get' command"),
	errCmd("NOSUCHCMD x y", "ERR unknown command 'NOSUCHCMD', with args beginning with: 'x' 'y' "),
	errCmd("OBJECT FOO $k", "ERR unknown subcommand 'FOO'. Try OBJECT HELP."),
	errCmd("CLIENT FOO", "ERR unknown subcommand 'FOO'. Try CLIENT HELP."),
	errCmd("COMMAND FOO", "ERR unknown subcommand 'FOO'. Try COMMAND HELP."),
	errCmd("SET $k v BADOPT", "ERR syntax error"),
	errCmd("SET $k v NX XX", "ERR syntax error"),
	errCmd("SET $k v EX 0", "ERR invalid expire time in 'set' command"),
	errCmd("SET $k v PX -5", "ERR invalid expire time in 'set' command"),
	errCmd("SET $k v EX abc", "ERR value is not an integer or out of range"),
	errCmd("SETEX $k 0 v", "ERR invalid expire time in 'setex' command"),
	errCmd("PSETEX $k -1 v", "ERR invalid expire time in 'psetex' command"),
	errCmd("SETEX $k x v", "ERR value is not an integer or out of range"),
	errCmd("INCRBY $k abc", "ERR value is not an integer or out of range"),
	errCmd("DECRBY $k 1.5", "ERR value is not an integer or out of range"),
	errCmd("INCRBYFLOAT $k abc", "ERR value is not a valid float"),
	errCmd("PEXPIRE $k x", "ERR value is not an integer or out of range"),
	errCmd("PEXPIRE $k 10 FOO", "ERR Unsupported option FOO"),
	errCmd("PEXPIRE $k 10 NX XX", "ERR NX and XX, GT or LT options at the same time are not compatible"),
	errCmd("EXPIRE $k 10 NX GT", "ERR NX and XX, GT or LT options at the same time are not compatible"),
	errCmd("PEXPIRE $k 10 GT LT", "ERR GT and LT options at the same time are not compatible"),
	errCmd("SETRANGE $k -1 x", "ERR offset is out of range"),
	errCmd("GETRANGE $k a b", "ERR value is not an integer or out of range"),
	errCmd("GETEX $k FOO", "ERR syntax error"),
	errCmd("REPLICAOF 127.0.0.1 -1", "ERR Invalid master port"),
	errCmd("SLAVEOF 127.0.0.1 65536", "ERR Invalid master port"),
	errCmd("REPLICAOF 127.0.0.1 x", "ERR Invalid master port"),
	errCmd("SELECT 99", "ERR DB index is out of range"),
	// AUTH takes a user and a password at most; the syntax error comes
	// before any password is compared, with or without requirepass.
	errCmd("AUTH default x y", "ERR syntax error"),
	errCmd("SELECT x", "ERR value is not an integer or out of range"),
	errCmd("SCAN x", "ERR invalid cursor"),
	errCmd("SCAN 0 COUNT 0", "ERR syntax error"),
	errCmd("SCAN 0 FOO", "ERR syntax error"),
	errCmd("MEMORY USAGE $k SAMPLES x", "ERR value is not an integer or out of range"),
	errCmd("CLIENT SETNAME a\x01b", "ERR Client names cannot contain spaces, newlines or special characters."),
	errCmd("CLIENT LIST TYPE foo", "ERR Unknown client type 'foo'"),
	errCmd("CLIENT KILL TYPE foo", "ERR Unknown client type 'foo'"),
	errCmd("CLIENT KILL FOO bar", "ERR syntax error"),
	errCmd("CLIENT KILL 10.9.9.9:1", "ERR No such client"),
	errCmd("CONFIG SET nosuch 1", "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"),
	errCmd("CONFIG SET maxmemory abc", "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value"),
	errCmd("CONFIG SET appendfsync foo", "ERR CONFIG SET failed (possibly related to argument 'appendfsync') - argument(s) must be one of the following: everysec, always, no"),
	errCmd("CONFIG SET hz abc", "ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer"),
	errCmd("CONFIG SET save x", "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters"),
	errCmd("CONFIG SET repl-backlog-size -1", "ERR CONFIG SET failed (possibly related to argument 'repl-backlog-size') - argument must be a memory value"),
	errCmd("CONFIG SET replica-read-only maybe", "ERR CONFIG SET failed (possibly related to argument 'replica-read-only') - argument must be 'yes' or 'no'"),
	errCmd("CONFIG SET hz 10 hz 11", "ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter"),
	errCmd("CONFIG SET hz", "ERR wrong number of arguments for 'config|set' command"),
	errCmd("CONFIG FOO", "ERR unknown subcommand 'FOO'. Try CONFIG HELP."),
	errCmd("INCRBYFLOAT $k nan", "ERR value is not a valid float"),
	errCmd("SET $k v KEEPTTL EX 5", "ERR syntax error"),
	errCmd("SET $k v EXAT 0", "ERR invalid expire time in 'set' command"),
	errCmd("SET $k v PXAT -1", "ERR invalid expire time in 'set' command"),
	errCmd("SET $k v PX 9223372036854775807", "ERR invalid expire time in 'set' command"),
	errCmd("EXPIRE $k 9223372036854775807", "ERR invalid expire time in 'expire' command"),
	// The option is printed as C's %s prints it: up to its first NUL.
	errCmd("EXPIRE $k 10 a\x00b", "ERR Unsupported option a"),
	errCmd("CONFIG SET client-output-buffer-limit foo", "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Wrong number of arguments in buffer limit configuration."),
	errCmd("BGSAVE foo", "ERR syntax error"),
	errCmd("SHUTDOWN foo", "ERR syntax error"),
	errCmd("SHUTDOWN NOSAVE SAVE", "ERR syntax error"),
	errCmd("SHUTDOWN ABORT NOW", "ERR syntax error"),
	errCmd("CONFIG SET shutdown-on-sigterm foo", "ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigterm') - argument(s) must be one of the following: default, save, nosave, now, force"),
	// An empty value splits into no flags, which Redis refuses too.
	{words: []string{"CONFIG", "SET", "shutdown-on-sigint", ""}, reply: "ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigint') - argument(s) must be one of the following: default, save, nosave, now, force"},
	errCmd("BGREWRITEAOF x", "ERR wrong number of arguments for 'bgrewriteaof' command"),
	errCmd("SAVE x", "ERR wrong number of arguments for 'save' command"),
	errCmd("LASTSAVE x", "ERR wrong number of arguments for 'lastsave' command"),
	errCmd("SLAVEOF a", "ERR wrong number of arguments for 'slaveof' command"),
	errCmd("REPLICAOF a b c", "ERR wrong number of arguments for 'replicaof' command"),
	// Only "NO" "ONE" together turns a node into a master; half of it is
	// an address with a bad port.
	errCmd("REPLICAOF no two", "ERR Invalid master port"),
	errCmd("SLAVEOF nohost one", "ERR Invalid master port"),
	errCmd("REPLICAOF no 70000", "ERR Invalid master port"),
	errCmd("WAIT 1", "ERR wrong number of arguments for 'wait' command"),
	errCmd("WAIT abc 0", "ERR value is not an integer or out of range"),
	errCmd("WAIT 1 abc", "ERR timeout is not an integer or out of range"),
	errCmd("WAIT 1 -5", "ERR timeout is negative"),
	errCmd("WAIT 1 -1", "ERR timeout is negative"),                       // the boundary
	errCmd("WAIT 0 -0", "ERR timeout is not an integer or out of range"), // string2ll refuses "-0"
	// A PSYNC whose offset is no number: syncCommand logs the request and
	// refuses it, the client staying a normal client (checked against
	// redis-server 7.0.15; checker.syncRefusals are its refusals first).
	errCmd("PSYNC 0123456789abcdef0123456789abcdef01234567 x", "ERR value is not an integer or out of range"),
	// COMMAND's introspection of the command table, which does not depend
	// on the data either (keys named here are not the workload's).
	errCmd("COMMAND GETKEYS SET x v", `1) "x"`),
	errCmd("COMMAND GETKEYS MSET a 1 b 2", `1) "a" 2) "b"`),
	errCmd("COMMAND GETKEYS ZUNIONSTORE d 2 a b", `1) "d" 2) "a" 3) "b"`),
	errCmd("COMMAND GETKEYS GET a b", "ERR Invalid number of arguments specified for command"),
	errCmd("COMMAND GETKEYS PING x", "ERR The command has no key arguments"),
	errCmd("COMMAND GETKEYS NOSUCH x", "ERR Invalid command specified"),
	errCmd("COMMAND GETKEYS GET", "ERR wrong number of arguments for 'command|getkeys' command"),
	errCmd("COMMAND COUNT x", "ERR wrong number of arguments for 'command|count' command"),
	errCmd("COMMAND INFO nosuch", "1) (nil)"),
	errCmd("COMMAND DOCS nosuch", "(empty array)"),
	errCmd("COMMAND LIST FILTERBY PATTERN xx*", "(empty array)"),
	errCmd("COMMAND LIST FILTERBY FOO x", "ERR syntax error"),
	errCmd("DEBUG SLEEP 0", "OK"),
	errCmd("PING a b", "ERR wrong number of arguments for 'ping' command"),
	// Settings the simulation never changes at runtime, rendered from
	// the flags the node was given (givenReply).
	errCmd("CONFIG GET shutdown-on-sigterm", givenReply),
	errCmd("CONFIG GET shutdown-on-sigint", givenReply),
}

// givenReply stands, in a table, for a reply that depends on what the
// harness gave the node the command goes to: the client fills it in as
// it sends the command (fillGivenReply), and an operation list keeps the
// stand-in (inputOf).
const givenReply = "(from what the node was given)"

// givenReplyCmds are the commands of the tables whose reply is givenReply.
var givenReplyCmds = map[string]bool{"CONFIG GET shutdown-on-sigterm": true, "CONFIG GET shutdown-on-sigint": true}

// isGivenReply says whether op is a command whose reply givenReply stands
// for.
func isGivenReply(op *checker.Op) bool {
	return op.Mode == "EXPECT" && givenReplyCmds[strings.Join(op.Args, " ")]
}

// fillGivenReply fills in op's reply if its table left it to the node the
// client sends it to: CONFIG GET shutdown-on-sigterm / -sigint shows the
// flags the harness gave s (build_signal.go) as Redis renders them.
func fillGivenReply(op *checker.Op, s *simNode) {
	if op.Value != givenReply || !isGivenReply(op) {
		return
	}
	name := op.Args[2]
	op.Value = `1) "` + name + `" 2) "` + checker.ShutdownOnSigValue(s.signalFlags(name == "shutdown-on-sigint")) + `"`
}

// inlineReads are sent as inline commands (words and CRLF, as telnet or
// redis-cli's pipe mode would), not as RESP arrays (Mode "INLINE").
var inlineReads = []tableCmd{
	tcmd("PING inline"), tcmd("ECHO inline"), tcmd("EXISTS $k $k $k"), tcmd("INFO keyspace replication"),
	tcmd("CLIENT GETNAME inline"), tcmd("DEBUG DIGEST-VALUE $k $k"), tcmd("CONFIG GET hz"),
}

func drawAdmin(r *sim.Rand, op *checker.Op, _ int) {
	if r.IntN(5) == 0 {
		drawTable(r, op, inlineReads, "INLINE")
		return
	}
	drawTable(r, op, adminReads, "ADMIN")
}

func drawErrors(r *sim.Rand, op *checker.Op, _ int) {
	// One draw over both tables (workload_args.go).
	i := r.IntN(len(errorCmds) + len(argErrorCmds))
	if i < len(errorCmds) {
		*op = tableOp(errorCmds[i], op.Key, "EXPECT")
		return
	}
	*op = tableOp(argErrorCmds[i-len(errorCmds)], op.Key, "EXPECT")
}

func drawTable(r *sim.Rand, op *checker.Op, table []tableCmd, mode string) {
	tc := table[r.IntN(len(table))]
	*op = tableOp(tc, op.Key, mode)
}

// tableOp is the operation of tc with key k.
func tableOp(tc tableCmd, k, mode string) checker.Op {
	op := checker.Op{Kind: checker.OpRead, Mode: mode, Value: tc.reply}
	for _, w := range tc.words {
		if w == "$k" {
			op.Key, w = k, k
		}
		op.Args = append(op.Args, w)
	}
	return op
}

// tableArgs renders op's Args again once its key has its database prefix.
func tableArgs(op *checker.Op, old string) {
	for i, w := range op.Args {
		if w == old {
			op.Args[i] = op.Key
		}
	}
}

// isTableMode says op was drawn from a table (its Args are set).
func isTableMode(op *checker.Op) bool {
	return op.Kind == checker.OpRead && (op.Mode == "ADMIN" || op.Mode == "INLINE" || op.Mode == "EXPECT" || op.Mode == "INLINEX" || op.Mode == "PROTOX")
}

// parseTable maps the words of a command from the tables back to its
// operation (for operation lists).
func parseTable(w []string) (checker.Op, bool) {
	for _, t := range [...]struct {
		table []tableCmd
		mode  string
	}{{adminReads, "ADMIN"}, {errorCmds, "EXPECT"}, {argErrorCmds, "EXPECT"}, {inlineReads, "INLINE"}, {maxmemoryConfigs, "ADMIN"}, {debugCmds, "EXPECT"},
		{knobExpects, "EXPECT"}, {knobInline, "INLINEX"}, {knobConfigs, "ADMIN"}, {protoCmds, "PROTOX"},
		{listPackedThresholds, "EXPECT"}, {listFills, "ADMIN"}} {
	next:
		for _, tc := range t.table {
			if len(tc.words) != len(w) {
				continue
			}
			key := ""
			for i, x := range tc.words {
				switch {
				case x == "$k" && (key == "" || key == w[i]):
					key = w[i]
				case x != w[i]:
					continue next
				}
			}
			op := tableOp(tc, key, t.mode)
			if t.mode == "PROTOX" {
				protoUnauth(&op) // workload_protocol.go
			}
			return op, true
		}
	}
	return checker.Op{}, false
}
