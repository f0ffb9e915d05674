#!/usr/bin/env bash
# memory-vs-redis.sh: resident memory of redis-server and replsim server
# holding the same dataset, side by side in one run, in three states:
#
#   loaded    the dataset written by clients (redis-cli --pipe);
#   restart   the server restarted from the RDB it saved (and the time the
#             load took, from its own log line "DB loaded from disk");
#   replica   a second server of the same kind after a full sync from it.
#
#   scripts/memory-vs-redis.sh                    # 1M strings of 100 bytes
#   DATASET=hash scripts/memory-vs-redis.sh       # one hash of 1M fields
#   DATASET=list|set|zset scripts/memory-vs-redis.sh
#   COUNT=200000 VALUE=100 scripts/memory-vs-redis.sh
#   REPLSIM_BIN=/tmp/old/replsim scripts/memory-vs-redis.sh
#
# Needs redis-server and redis-cli (Debian: redis-server, redis-tools), Go
# and awk. Each server gets a fresh temporary dir and a free loopback port.
set -euo pipefail

COUNT=${COUNT:-1000000}
VALUE=${VALUE:-100}
DATASET=${DATASET:-strings}

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

mkdir -p "$work/bin"
if [[ -n "${REPLSIM_BIN:-}" ]]; then
	cp "$REPLSIM_BIN" "$work/bin/replsim"
else
	(cd "$root" && go build -o "$work/bin/replsim" ./cmd/replsim)
fi

# commands: the dataset as RESP commands on stdout. Collections are written
# in commands of 1,000 elements (as a client loading them would).
commands() {
	awk -v n="$COUNT" -v size="$VALUE" -v ds="$DATASET" 'BEGIN {
		v = sprintf("%" size "s", ""); gsub(/ /, "x", v)
		if (ds == "strings") {
			for (i = 0; i < n; i++) {
				k = "key:" i
				printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, length(v), v
			}
			exit
		}
		cmd["hash"] = "HSET"; cmd["list"] = "RPUSH"; cmd["set"] = "SADD"; cmd["zset"] = "ZADD"
		pair = (ds == "hash" || ds == "zset")
		for (i = 0; i < n; i += 1000) {
			m = (n - i < 1000) ? n - i : 1000
			printf "*%d\r\n$%d\r\n%s\r\n$4\r\ncoll\r\n", 2 + m * (pair ? 2 : 1), length(cmd[ds]), cmd[ds]
			for (j = i; j < i + m; j++) {
				e = "element:" j
				if (ds == "zset") { s = j ""; printf "$%d\r\n%s\r\n", length(s), s }
				printf "$%d\r\n%s\r\n", length(e), e
				if (ds == "hash") printf "$%d\r\n%s\r\n", length(v), v
			}
		}
	}'
}

rsskb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# start kind dir port [args...]: starts a server; its pid is left in $pid.
start() {
	local kind=$1 dir=$2 port=$3
	shift 3
	local bin=redis-server
	[[ $kind == replsim ]] && bin="$work/bin/replsim server"
	mkdir -p "$dir"
	(cd "$dir" && exec $bin --port "$port" --bind 127.0.0.1 --save "" --appendonly no "$@" >>"$dir/log" 2>&1) &
	pid=$!
	pids+=("$pid")
	for _ in $(seq 600); do
		redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break
		sleep 0.1
	done
}

# settle port: waits until the server answers and is not loading.
settle() {
	for _ in $(seq 1200); do
		redis-cli -p "$1" info persistence 2>/dev/null | grep -q '^loading:0' && return
		sleep 0.1
	done
}

commands >"$work/data.resp"

echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "redis-server $(redis-server --version | grep -o 'v=[0-9.]*'), replsim ${REPLSIM_BIN:-$(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?')}"
echo "dataset: $DATASET, $COUNT elements, values of $VALUE bytes"
printf '%-8s %12s %12s %6s\n' state 'redis MB' 'replsim MB' ratio
declare -A rss loadtime
for kind in redis replsim; do
	port=$(freeport)
	start "$kind" "$work/$kind" "$port"
	redis-cli -p "$port" --pipe <"$work/data.resp" >/dev/null
	sleep 3
	rss[$kind.loaded]=$(rsskb "$pid")
	redis-cli -p "$port" save >/dev/null
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	start "$kind" "$work/$kind" "$port" --dbfilename dump.rdb
	settle "$port"
	sleep 3
	rss[$kind.restart]=$(rsskb "$pid")
	loadtime[$kind]=$(grep -o 'DB loaded from disk: [0-9.]* seconds' "$work/$kind/log" | tail -1 | grep -o '[0-9.]*' | head -1)
	rport=$(freeport)
	mpid=$pid
	start "$kind" "$work/$kind-replica" "$rport" --replicaof 127.0.0.1 "$port"
	rpid=$pid pid=$mpid
	for _ in $(seq 1200); do
		redis-cli -p "$rport" info replication 2>/dev/null | grep -q '^master_link_status:up' && break
		sleep 0.1
	done
	settle "$rport"
	sleep 3
	rss[$kind.replica]=$(rsskb "$rpid")
	kill "$rpid" "$pid"
	wait "$rpid" "$pid" 2>/dev/null || true
done
for state in loaded restart replica; do
	awk -v s="$state" -v r="${rss[redis.$state]}" -v o="${rss[replsim.$state]}" \
		'BEGIN { printf "%-8s %12.0f %12.0f %6.2f\n", s, r / 1024, o / 1024, o / r }'
done
echo "RDB load: redis ${loadtime[redis]:-?} s, replsim ${loadtime[replsim]:-?} s"
echo "ratio: replsim/redis resident memory (VmRSS), each read 3 seconds after the state was reached"
