#!/usr/bin/env bash
# MedicalCor's Redis as `make demo` audits it: one instance holding a cache, sessions, locks, job
# queues and rate limits, with the defects a live audit must notice (scripts/demo runs this before
# the audit):
#   - connect-redis sessions `sess:*` written without a TTL (a `disableTTL` left on): 40 of 50;
#   - node-redlock locks `lock:appointment:*` left without a TTL by a crashed worker: 5 of 7;
#   - `maxmemory 64mb` with `maxmemory-policy allkeys-lru`: under pressure Redis evicts any key,
#     sessions, locks and BullMQ jobs included (BullMQ requires noeviction);
# and what is fine: `cache:*` keys with a TTL, a BullMQ queue `bull:emails:*` (and `bull:sms:*`),
# rate-limiter-flexible windows `rlflx:*` with a TTL.
#
#   examples/medicalcor/redis-seed.sh REDIS_URL      (a loopback server only: it changes CONFIG)
#
# Values are made up and hold nobody's data. The selected database is emptied first, so the seed
# can be run again.
set -euo pipefail

url="${1:-}"
[ -n "$url" ] || { sed -n '12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
case "$url" in
    redis://127.0.0.1[:/]* | redis://localhost[:/]* | redis://*@127.0.0.1[:/]* | redis://*@localhost[:/]*) ;;
    *) echo "redis-seed: refusing $url: the seed empties a database and sets maxmemory; give a loopback server" >&2
       exit 2 ;;
esac
command -v redis-cli >/dev/null || { echo "redis-seed: redis-cli not found" >&2; exit 2; }

id() { printf '%s' "$1" | sha1sum | cut -c1-"${2:-32}"; }   # a stable made-up identifier

commands() {
    echo "FLUSHDB"
    local i
    for i in $(seq 1 50); do
        if [ "$i" -le 40 ]; then
            echo "SET sess:$(id "sess-$i") '{\"cookie\":{\"httpOnly\":true},\"userId\":\"u-$i\"}'"
        else
            echo "SET sess:$(id "sess-$i") '{\"cookie\":{\"httpOnly\":true},\"userId\":\"u-$i\"}' EX 86400"
        fi
    done
    for i in $(seq 1 7); do
        if [ "$i" -le 5 ]; then
            echo "SET lock:appointment:$(id "lock-$i" 12) $(id "owner-$i" 16)"
        else
            echo "SET lock:appointment:$(id "lock-$i" 12) $(id "owner-$i" 16) PX 30000"
        fi
    done
    for i in $(seq 1 30); do
        echo "SET cache:lead:$(id "lead-$i" 12) '{\"status\":\"new\"}' EX 3600"
    done
    for i in $(seq 1 5); do
        echo "SET cache:clinic:$(id "clinic-$i" 8) '{\"open\":true}' EX 600"
    done
    # A BullMQ queue as BullMQ lays it out: id counter, meta, wait list, job hashes, completed set, events.
    echo "SET bull:emails:id 24"
    echo "HSET bull:emails:meta opts.maxLenEvents 10000 version bullmq:5.0.0"
    for i in $(seq 1 20); do
        echo "HSET bull:emails:$i name welcome data '{\"template\":\"welcome\"}' timestamp 1700000000000 attemptsMade 0"
    done
    echo "RPUSH bull:emails:wait 17 18 19 20"
    echo "ZADD bull:emails:completed 1700000000001 1 1700000000002 2 1700000000003 3"
    echo "XADD bull:emails:events * event added jobId 20"
    echo "SET bull:sms:id 3"
    for i in 1 2 3; do
        echo "HSET bull:sms:$i name reminder data '{\"template\":\"reminder\"}' timestamp 1700000000000"
    done
    for i in 1 2 3; do
        echo "SET rlflx:login:$(id "client-$i" 10) 3 EX 60"
    done
    echo "CONFIG SET maxmemory 64mb"
    echo "CONFIG SET maxmemory-policy allkeys-lru"
}

# redis-cli prints one reply per command; any error reply fails the seed.
if ! replies="$(commands | redis-cli -u "$url" --no-auth-warning 2>&1)"; then
    echo "redis-seed: redis-cli failed: $replies" >&2
    exit 1
fi
if errors="$(printf '%s\n' "$replies" | grep -E '^(ERR|WRONGTYPE|NOPERM|NOAUTH|\(error\))')"; then
    echo "redis-seed: the server refused a command: $errors" >&2
    exit 1
fi
keys="$(redis-cli -u "$url" --no-auth-warning DBSIZE)"
echo "redis-seed: $keys keys (sessions, locks, cache, bull:emails, bull:sms, rlflx), maxmemory 64mb, allkeys-lru"
