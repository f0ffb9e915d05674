package node

// Error replies, byte-exact with Redis 7.0 (without the leading '-' and the
// trailing CRLF, which the encoder adds).
const (
	errSyntax          = "ERR syntax error"
	errNotInteger      = "ERR value is not an integer or out of range"
	errNotFloat        = "ERR value is not a valid float"
	errOverflow        = "ERR increment or decrement would overflow"
	errDBIndex         = "ERR DB index is out of range"
	errNoAuth          = "NOAUTH Authentication required."
	errWrongPass       = "WRONGPASS invalid username-password pair or user is disabled."
	errAuthNoPass      = "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"
	errReadOnly        = "READONLY You can't write against a read only replica."
	errMasterDown      = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."
	errWrongType       = "WRONGTYPE Operation against a key holding the wrong kind of value"
	errExecAbort       = "EXECABORT Transaction discarded because of previous errors."
	errMultiNested     = "ERR MULTI calls can not be nested"
	errExecNoMulti     = "ERR EXEC without MULTI"
	errDiscardNoMult   = "ERR DISCARD without MULTI"
	errInvalidPort     = "ERR Invalid master port"
	errNoSuchKey       = "ERR no such key"
	errPendingOutput   = "ERR SYNC and PSYNC are invalid with pending output"
	errDebugNotAllowed = "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server."
	errMisconf         = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error."
)

func errWrongArgs(name string) string {
	return "ERR wrong number of arguments for '" + name + "' command"
}

func errUnknownCommand(name string, args [][]byte) string {
	var list []byte
	for _, a := range args {
		if len(list) >= 128 {
			break
		}
		room := 128 - len(list)
		if len(a) > room {
			a = a[:room]
		}
		list = append(list, '\'')
		list = append(list, a...)
		list = append(list, "' "...)
	}
	return noNewlines("ERR unknown command '" + truncate(name, 128) + "', with args beginning with: " + string(list))
}

// noNewlines replaces CR and LF with spaces, as Redis does for error
// replies that echo user input, so the reply stays one protocol line.
func noNewlines(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '\r' || c == '\n' {
			b[i] = ' '
		}
	}
	return string(b)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
