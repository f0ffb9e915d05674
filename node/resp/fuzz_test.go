package resp

import (
	"bytes"
	"testing"
)

func FuzzParseCommand(f *testing.F) {
	for _, c := range append(append([]cmdCase{}, multibulkCases...), inlineCases...) {
		if len(c.in) < 1024 {
			f.Add([]byte(c.in))
		}
	}
	lim := &Limits{MaxBulkLen: 1 << 20, MaxInlineLen: 256, MaxMultibulk: 1 << 10}
	f.Fuzz(func(t *testing.T, buf []byte) {
		orig := bytes.Clone(buf)
		args, n, err := ParseCommand(buf, nil, lim)
		if n < 0 || n > len(buf) {
			t.Fatalf("n = %d outside [0, %d]", n, len(buf))
		}
		if err != nil {
			if n != 0 || len(args) != 0 {
				t.Fatalf("error %v with n = %d, %d args", err, n, len(args))
			}
			if _, ok := err.(*ProtocolError); !ok {
				t.Fatalf("error %T is not a *ProtocolError", err)
			}
			if !bytes.Equal(orig, buf) {
				t.Fatal("an error modified buf")
			}
			return
		}
		if n == 0 {
			if len(args) != 0 || !bytes.Equal(orig, buf) {
				t.Fatal("incomplete input produced args or modified buf")
			}
			return
		}
		if !bytes.Equal(orig[n:], buf[n:]) {
			t.Fatal("bytes past n modified")
		}
		// A complete request parses the same from exactly its own bytes.
		again, m, err := ParseCommand(bytes.Clone(orig[:n]), nil, lim)
		if err != nil || m != n || len(again) != len(args) {
			t.Fatalf("re-parse of buf[:%d]: n=%d err=%v args %d vs %d", n, m, err, len(again), len(args))
		}
		for i := range args {
			if !bytes.Equal(args[i], again[i]) {
				t.Fatalf("arg %d: %q vs %q", i, args[i], again[i])
			}
		}
		// Re-encoding the arguments as multibulk round-trips.
		enc := AppendCommand(nil, args...)
		back, m, err := ParseCommand(enc, nil, nil)
		if err != nil || m != len(enc) || len(back) != len(args) {
			t.Fatalf("multibulk round trip: n=%d err=%v", m, err)
		}
	})
}

func FuzzParseValue(f *testing.F) {
	for _, s := range []string{"+OK\r\n", "-ERR x\r\n", ":-12\r\n", "$3\r\nabc\r\n", "$-1\r\n", "*-1\r\n", "*0\r\n",
		"*2\r\n*1\r\n:1\r\n$0\r\n\r\n", "*1\r\n", "$5\r\nab", "+a\rb\r\n", "%1\r\n", "*9999999999\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, buf []byte) {
		v, n, err := ParseValue(buf)
		if n < 0 || n > len(buf) {
			t.Fatalf("n = %d outside [0, %d]", n, len(buf))
		}
		if err != nil {
			if n != 0 {
				t.Fatalf("error %v with n = %d", err, n)
			}
			if _, ok := err.(*ProtocolError); !ok {
				t.Fatalf("error %T is not a *ProtocolError", err)
			}
			return
		}
		if n == 0 {
			return
		}
		if err := v.Validate(); err != nil {
			t.Fatalf("parsed value invalid: %v", err)
		}
		if enc := AppendValue(nil, v); !bytes.Equal(enc, buf[:n]) {
			t.Fatalf("re-encoding %q gives %q", buf[:n], enc)
		}
		_ = v.String()
	})
}
