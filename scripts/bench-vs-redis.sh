#!/usr/bin/env bash
# bench-vs-redis.sh: redis-benchmark against redis-server and replsim server
# side by side in one run, and the ratio replsim/redis per test.
#
#   scripts/bench-vs-redis.sh                 # -n 200000 -c 50, -P1 and -P16
#   N=100000 CLIENTS=50 PIPELINES="1 16" TESTS=set,get,incr,mset scripts/bench-vs-redis.sh
#   AOF=1 scripts/bench-vs-redis.sh           # both with appendonly yes, everysec
#   PROFILE=cpu.prof scripts/bench-vs-redis.sh  # also a CPU profile of replsim
#                                               # (PROFILE_SECONDS, default 60)
#   REPLSIM_BIN=/tmp/old/replsim scripts/bench-vs-redis.sh  # a given build
#
# Needs redis-server and redis-benchmark (Debian: redis-server, redis-tools)
# and Go. Each server gets a fresh temporary dir and a free loopback port;
# the two are benchmarked alternately, test by test, so that a busy machine
# hurts both alike.
set -euo pipefail

N=${N:-200000}
CLIENTS=${CLIENTS:-50}
PIPELINES=${PIPELINES:-"1 16"}
TESTS=${TESTS:-set,get,incr,mset}
ROUNDS=${ROUNDS:-1}

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

if [[ -n "${REPLSIM_BIN:-}" ]]; then
	cp "$REPLSIM_BIN" "$work/replsim" # e.g. an older build, for before/after
else
	(cd "$root" && go build -o "$work/replsim" ./cmd/replsim)
fi

common=(--bind 127.0.0.1 --save "" --appendonly no)
if [[ "${AOF:-}" == 1 ]]; then
	common=(--bind 127.0.0.1 --save "" --appendonly yes --appendfsync everysec)
fi

rport=$(freeport)
mkdir -p "$work/redis" "$work/replsim-dir"
(cd "$work/redis" && exec redis-server --port "$rport" "${common[@]}" >"$work/redis.log" 2>&1) &
pids+=($!)
sport=$(freeport)
pprof_addr=""
if [[ -n "${PROFILE:-}" ]]; then
	pprof_addr=127.0.0.1:$(freeport)
fi
(cd "$work/replsim-dir" && REPLSIM_PPROF=$pprof_addr exec "$work/replsim" server --port "$sport" "${common[@]}" >"$work/replsim.log" 2>&1) &
pids+=($!)

for port in "$rport" "$sport"; do
	for _ in $(seq 100); do
		redis-cli -p "$port" ping >/dev/null 2>&1 && break
		sleep 0.1
	done
done

rpid=${pids[0]}
spid=${pids[1]}

# cputicks pid: the process's user+system CPU time in clock ticks. CPU time
# per request is much steadier than requests per second on a busy machine.
cputicks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# rps port pipeline test: requests per second of one redis-benchmark test.
rps() {
	redis-benchmark -p "$1" -n "$N" -c "$CLIENTS" -P "$2" -t "$3" -r 100000 --csv 2>/dev/null |
		awk -F'","' 'NR > 1 { gsub(/"/, "", $2); print $2; exit }'
}

if [[ -n "$pprof_addr" ]]; then
	curl -s -o "$PROFILE" "http://$pprof_addr/debug/pprof/profile?seconds=${PROFILE_SECONDS:-60}" &
	pids+=($!)
fi

echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "redis-server $(redis-server --version | grep -o 'v=[0-9.]*'), replsim ${REPLSIM_BIN:-$(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?')}"
echo "redis-benchmark -n $N -c $CLIENTS -r 100000, rounds $ROUNDS${AOF:+, appendonly yes everysec}"
printf '%-6s %4s %10s %10s %6s %12s %12s %6s\n' test P redis/s replsim/s ratio 'redis us/req' 'replsim us/req' 'ratio'
for p in $PIPELINES; do
	for t in ${TESTS//,/ }; do
		r=0 s=0 rc=0 sc=0
		for _ in $(seq "$ROUNDS"); do
			c0=$(cputicks "$rpid")
			r=$(awk -v a="$r" -v b="$(rps "$rport" "$p" "$t")" 'BEGIN { print a + b }')
			c1=$(cputicks "$rpid")
			d0=$(cputicks "$spid")
			s=$(awk -v a="$s" -v b="$(rps "$sport" "$p" "$t")" 'BEGIN { print a + b }')
			d1=$(cputicks "$spid")
			rc=$((rc + c1 - c0))
			sc=$((sc + d1 - d0))
		done
		awk -v t="$t" -v p="$p" -v r="$r" -v s="$s" -v k="$ROUNDS" -v rc="$rc" -v sc="$sc" -v hz="$hz" -v n="$N" \
			'BEGIN { ru = rc * 1e6 / hz / (n * k); su = sc * 1e6 / hz / (n * k);
			printf "%-6s %4s %10.0f %10.0f %6.2f %12.2f %12.2f %6.2f\n", toupper(t), "-P" p, r / k, s / k, (r > 0 ? s / r : 0), ru, su, (su > 0 ? ru / su : 0) }'
	done
done
echo "ratio: replsim/redis requests per second; us/req: the server's own CPU time per request (ratio redis/replsim, above 1 is replsim cheaper)"
if [[ -n "$pprof_addr" ]]; then
	wait "${pids[-1]}" || true
	cp "$work/replsim" "$PROFILE.bin"
	echo "CPU profile of replsim: go tool pprof -top $PROFILE.bin $PROFILE"
fi
