package resp

import "testing"

func BenchmarkParseCommand(b *testing.B) {
	buf := AppendCommandStrings(nil, "SET", "key:000123", "some-value-of-moderate-length")
	args := make([][]byte, 0, 8)
	b.ReportAllocs()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		var err error
		args, _, err = ParseCommand(buf, args, nil)
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseCommandInline(b *testing.B) {
	buf := []byte("SET key:000123 some-value-of-moderate-length\r\n")
	args := make([][]byte, 0, 8)
	b.ReportAllocs()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		var err error
		args, _, err = ParseCommand(buf, args, nil)
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendBulk(b *testing.B) {
	p := []byte("some-value-of-moderate-length")
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		buf = AppendBulk(buf[:0], p)
	}
}

func BenchmarkParseValue(b *testing.B) {
	buf := AppendValue(nil, arr(bulk("a"), bulk("some-value"), Value{Kind: Integer, Int: 42}, arr(bulk("x"))))
	b.ReportAllocs()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		if _, _, err := ParseValue(buf); err != nil {
			b.Fatal(err)
		}
	}
}
