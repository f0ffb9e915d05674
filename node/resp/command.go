package resp

// ParseCommand parses one request from the start of buf: multibulk
// ("*N\r\n$len\r\n...") if buf starts with '*', inline ("SET a b\r\n" or
// "\n"-terminated, with sdssplitargs quoting) otherwise.
//
// It returns the arguments appended to args[:0], the number of bytes
// consumed and an error. The arguments alias buf; nothing is copied, and
// with enough capacity in args nothing is allocated. n == 0 && err == nil
// means the request is incomplete: call again with more bytes. An empty
// inline line, "*0\r\n" and any "*N\r\n" with N <= 0 consume their bytes
// and return zero arguments, which the caller skips, as Redis does.
//
// The parser mirrors Redis 7.0.15 byte for byte, quirks included:
//   - a "*N" or "$len" line ends at its first '\r', and the byte after that
//     '\r' is skipped whatever it is; so are the two bytes after a bulk
//     payload;
//   - like C's strchr on the query buffer, a NUL byte before the end of an
//     inline request or of a "*N"/"$len" line hides that end, so the request
//     stays incomplete until more than MaxInlineLen bytes are buffered;
//   - the "too big" errors depend on how many bytes are buffered, exactly
//     as in Redis, so a caller should pass everything it has received;
//   - decoding an inline argument with quotes or escapes rewrites that
//     argument's bytes in place, inside buf[:n]; multibulk requests, plain
//     inline requests and incomplete or erroneous input are never written.
//
// On error the connection is unusable, as in Redis, which replies
// "-ERR " + err.Error() and closes it.
func ParseCommand(buf []byte, args [][]byte, lim *Limits) (out [][]byte, n int, err error) {
	return parseCommand(buf, args, lim, false)
}

// parseCommand is ParseCommand with Redis's limits on unauthenticated
// clients (see Parser), the reference the resumable Parser is tested
// against.
func parseCommand(buf []byte, args [][]byte, lim *Limits, unauth bool) (out [][]byte, n int, err error) {
	args = args[:0]
	if len(buf) == 0 {
		return args, 0, nil
	}
	l := lim.effective()
	if buf[0] == '*' {
		return parseMultibulk(buf, args, &l, unauth)
	}
	return parseInline(buf, args, &l)
}

// parseMultibulk follows processMultibulkBuffer.
func parseMultibulk(buf []byte, args [][]byte, l *Limits, unauth bool) ([][]byte, int, error) {
	cr := indexCStr(buf, '\r')
	if cr < 0 {
		if len(buf) > l.MaxInlineLen {
			return args, 0, protoErr(errBigMbulkCount)
		}
		return args, 0, nil
	}
	if cr+2 > len(buf) {
		return args, 0, nil
	}
	count, ok := parseInt(buf[1:cr])
	if !ok || count > l.MaxMultibulk {
		return args, 0, protoErr(errInvalidMultibulkLen)
	}
	if count > UnauthMaxMultibulk && unauth {
		return args, 0, protoErr(errUnauthMultibulkLen)
	}
	pos := cr + 2
	if count <= 0 {
		return args, pos, nil
	}
	for ; count > 0; count-- {
		line := buf[pos:]
		cr := indexCStr(line, '\r')
		if cr < 0 {
			if len(line) > l.MaxInlineLen {
				return args[:0], 0, protoErr(errBigBulkCount)
			}
			return args[:0], 0, nil
		}
		if cr+2 > len(line) {
			return args[:0], 0, nil
		}
		if line[0] != '$' {
			return args[:0], 0, expectedDollar(line[0])
		}
		size, ok := parseInt(line[1:cr])
		if !ok || size < 0 || size > l.MaxBulkLen {
			return args[:0], 0, protoErr(errInvalidBulkLen)
		}
		if size > UnauthMaxBulkLen && unauth {
			return args[:0], 0, protoErr(errUnauthBulkLen)
		}
		body := line[cr+2:]
		if size > int64(len(body)-2) {
			return args[:0], 0, nil
		}
		args = append(args, body[:size:size])
		pos += cr + 2 + int(size) + 2
	}
	return args, pos, nil
}

// expectedDollar builds Redis's "expected '$', got '%c'" error. Redis passes
// formatted errors through addReplyErrorFormat, which turns '\r' and '\n'
// into spaces.
func expectedDollar(c byte) error {
	if c == '\r' || c == '\n' {
		c = ' '
	}
	return protoErr("Protocol error: expected '$', got '" + string([]byte{c}) + "'")
}
