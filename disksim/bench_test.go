package disksim

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkWriteSync is the appendfsync-always hot path: append a small
// record, fsync.
func BenchmarkWriteSync(b *testing.B) {
	fs := newFS(1)
	f, err := fs.Create("appendonly.aof")
	require.NoError(b, err)
	rec := []byte("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n")
	b.ReportAllocs()
	b.SetBytes(int64(len(rec)))
	for b.Loop() {
		if _, err := f.Write(rec); err != nil {
			b.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteSyncWithInjectors adds disabled and non-matching injectors,
// the usual simulation setup.
func BenchmarkWriteSyncWithInjectors(b *testing.B) {
	fs := newFS(1)
	require.NoError(b, fs.AddInjector(&Injector{Ops: AllOps, Probability: 1}))
	require.NoError(b, fs.AddInjector(&Injector{Ops: Ops(OpWrite, OpSync), PathGlob: "*.rdb", Probability: 1, Enabled: true}))
	f, err := fs.Create("appendonly.aof")
	require.NoError(b, err)
	rec := []byte("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n")
	b.ReportAllocs()
	b.SetBytes(int64(len(rec)))
	for b.Loop() {
		if _, err := f.Write(rec); err != nil {
			b.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
	}
}
