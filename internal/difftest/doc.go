// Package difftest is the differential suite: the same commands go to our
// node and to a real redis-server 7.0, and the raw RESP replies must agree
// byte for byte (with a few documented tolerances: TTLs within 2 s, KEYS
// and full SCAN iterations as sets, RANDOMKEY by existence, digests and
// client ids by shape).
//
// The package holds the pieces (targets, the reply comparison and the
// random command generator); the suite itself is in difftest_test.go.
package difftest
