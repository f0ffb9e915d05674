package server

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/replsim/replsim/internal/redistest"
)

// TestGoRedisClient: go-redis v9 works against `replsim server`, both with
// its default protocol (it tries HELLO 3, gets -NOPROTO and falls back to
// RESP2) and with Protocol 2; strings, expiry, pipelines, transactions and
// INFO, plus AUTH with a password.
func TestGoRedisClient(t *testing.T) {
	port := redistest.FreePort(t)
	startServerProc(t, port, "--port", strconv.Itoa(port), "--save", "", "--requirepass", "pw")
	for _, proto := range []int{0, 2} {
		t.Run("protocol "+strconv.Itoa(proto), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(port), Password: "pw",
				Protocol: proto, DisableIdentity: true})
			defer rdb.Close()

			require.NoError(t, rdb.Set(ctx, "k", "v", 0).Err())
			got, err := rdb.Get(ctx, "k").Result()
			require.NoError(t, err)
			assert.Equal(t, "v", got)
			_, err = rdb.Get(ctx, "missing").Result()
			assert.ErrorIs(t, err, redis.Nil)
			assert.Equal(t, int64(1), rdb.Incr(ctx, "n").Val())

			require.NoError(t, rdb.Set(ctx, "ttl", "x", 100*time.Second).Err())
			ttl := rdb.TTL(ctx, "ttl").Val()
			assert.InDelta(t, 100, ttl.Seconds(), 2)

			cmds, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, "a", "1", 0)
				p.IncrBy(ctx, "a", 5)
				p.Get(ctx, "a")
				return nil
			})
			require.NoError(t, err)
			require.Len(t, cmds, 3)
			assert.Equal(t, "6", cmds[2].(*redis.StringCmd).Val())

			_, err = rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, "t1", "x", 0)
				p.Set(ctx, "t2", "y", 0)
				return nil
			})
			require.NoError(t, err)
			assert.Equal(t, []any{"x", "y"}, rdb.MGet(ctx, "t1", "t2").Val())
			assert.Contains(t, rdb.Info(ctx, "replication").Val(), "role:master")
			require.NoError(t, rdb.Del(ctx, "k", "n", "ttl", "a", "t1", "t2").Err())
		})
	}
	bad := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(port), Password: "nope", Protocol: 2})
	defer bad.Close()
	err := bad.Ping(context.Background()).Err()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WRONGPASS")
}
