#!/bin/bash
# A Redis 7.0.15 divergence found by replsim's chaos sweep (seed 6492 of an
# earlier workload): FLUSHALL with save points saves an RDB whose replication
# offset precedes the FLUSHALL (it is propagated after the save). A master
# killed before the FLUSHALL reaches a replica, and restarted from that RDB,
# takes the RDB's replication ID as its secondary ID up to that offset
# (loadDataFromDisk), so the replica resumes by partial resync and keeps the
# keys its master flushed. Runs two real redis-server processes on ports
# 27001/27002 in a temporary directory; prints both key counts.
#
#   scripts/flushall-restart-divergence.sh
set -u
M=27001; R=27002; D=$(mktemp -d)
mkdir -p $D/m $D/r
redis-server --port $M --dir $D/m --save "3600 1" --appendonly no --requirepass pw --daemonize yes --logfile $D/m/log
redis-server --port $R --dir $D/r --save "" --masterauth pw --replicaof 127.0.0.1 $M --daemonize yes --logfile $D/r/log
until redis-cli -p $R info replication | grep -q master_link_status:up; do sleep 0.2; done
redis-cli -p $M -a pw --no-auth-warning set a 1 >/dev/null
redis-cli -p $M -a pw --no-auth-warning set b 2 >/dev/null
sleep 1
echo "replica before: $(redis-cli -p $R dbsize) keys, $(redis-cli -p $R info replication | grep -E 'master_repl_offset' | tr -d '\r')"
redis-cli -p $R config set masterauth wrong >/dev/null          # the replica cannot come back yet
redis-cli -p $M -a pw --no-auth-warning client kill type replica >/dev/null
sleep 0.5
redis-cli -p $M -a pw --no-auth-warning flushall                 # saves dump.rdb (save points set)
kill -9 $(redis-cli -p $M -a pw --no-auth-warning info server | grep process_id | cut -d: -f2 | tr -d '\r')
sleep 0.5
redis-server --port $M --dir $D/m --save "3600 1" --appendonly no --requirepass pw --daemonize yes --logfile $D/m/log
sleep 1
redis-cli -p $R config set masterauth pw >/dev/null
until redis-cli -p $R info replication | grep -q master_link_status:up; do sleep 0.2; done
sleep 1
echo "master after: $(redis-cli -p $M -a pw --no-auth-warning dbsize) keys; replica after: $(redis-cli -p $R dbsize) keys"
grep -h "Partial resynchronization\|Full resync" $D/m/log $D/r/log | tail -3
redis-cli -p $M -a pw --no-auth-warning shutdown nosave >/dev/null 2>&1; redis-cli -p $R shutdown nosave >/dev/null 2>&1
rm -rf "$D"
