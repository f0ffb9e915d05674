package node_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestExpireFamilyRepliesAndPropagation(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	e.expect(
		"EXPIRE nokey 10", ":0\r\n",
		"SET k v", "+OK\r\n",
		"EXPIRE k 100", ":1\r\n",
		"TTL k", ":100\r\n",
		"PEXPIRE k 200000 XX", ":1\r\n",
		"PTTL k", ":200000\r\n",
		"EXPIREAT k "+ms(nowMs/1000+300)+" GT", ":1\r\n",
		"EXPIRETIME k", ":"+ms(nowMs/1000+300)+"\r\n",
		"PEXPIREAT k "+ms(nowMs+400000), ":1\r\n",
		"PEXPIRETIME k", ":"+ms(nowMs+400000)+"\r\n",
		"EXPIRE k 10 GT", ":0\r\n",
		"EXPIRE k 10 NX", ":0\r\n",
		"PERSIST k", ":1\r\n",
		"PERSIST k", ":0\r\n",
		"EXPIRE k 10 XX", ":0\r\n",
		"EXPIRE k 10 GT", ":0\r\n",
		"EXPIRE k 10 LT", ":1\r\n",
		"EXPIRE k 10 NX XX", "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n",
		"EXPIRE k 10 GT LT", "-ERR GT and LT options at the same time are not compatible\r\n",
		"EXPIRE k 10 foo", "-ERR Unsupported option foo\r\n",
		"EXPIRE k x", "-ERR value is not an integer or out of range\r\n",
		"EXPIRE k 9223372036854775807", "-ERR invalid expire time in 'expire' command\r\n",
		"PEXPIRE k 9223372036854775807", "-ERR invalid expire time in 'pexpire' command\r\n",
		"TTL nokey", ":-2\r\n",
		"SET p v", "+OK\r\n",
		"TTL p", ":-1\r\n",
		"EXPIRE p -1", ":1\r\n",
		"EXISTS p", ":0\r\n",
	)
	assert.Equal(t, []string{
		"SET k v",
		"PEXPIREAT k " + ms(nowMs+100000),
		"PEXPIREAT k " + ms(nowMs+200000) + " XX",
		"PEXPIREAT k " + ms(nowMs+300000) + " GT",
		"PEXPIREAT k " + ms(nowMs+400000),
		"PERSIST k",
		"PEXPIREAT k " + ms(nowMs+10000) + " LT",
		"SET p v",
		"DEL p",
	}, e.propagated())
}

func TestTTLRoundsAndKeysExpireLazily(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	e.do("SET", "k", "v", "PX", "2500")
	e.expect("TTL k", ":3\r\n") // (2500+500)/1000
	e.h.Env.Advance(1100 * time.Millisecond)
	e.expect("TTL k", ":1\r\n", "PTTL k", ":1400\r\n")
	e.h.Env.Advance(1400 * time.Millisecond)
	e.expect("TTL k", ":0\r\n") // Redis expires once now > when
	e.h.Env.Advance(time.Millisecond)
	e.expect("TTL k", ":-2\r\n", "GET k", "$-1\r\n")
	assert.Equal(t, []string{"SET k v PXAT " + ms(nowMs+2500), "DEL k"}, e.propagated())
}

func TestActiveExpiryOnTick(t *testing.T) {
	e := newCmdEnv(t).withReplica()
	e.do("SET", "k", "v", "PX", "10")
	e.propagated()
	e.h.Env.Advance(time.Second)
	for i := 0; i < 10; i++ {
		e.h.Tick()
	}
	assert.Contains(t, e.propagated(), "DEL k")
	e.expect("DBSIZE", ":0\r\n")
}
