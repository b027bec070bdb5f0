#!/usr/bin/env bash
# GET /api/v1/content/{id} with and without the Redis content cache: one `moderation serve`
# on a scratch PostgreSQL database and Redis db 12 (flushed afterwards), wrk -c16 for 8 s.
# Needs wrk, the local PostgreSQL and Redis.   Usage: benchmarks/bench_content_cache.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1
DB=get_bench_$$
psql -h 127.0.0.1 -U postgres -qc "create database $DB"
export MODERATION_DATABASE_URL="postgresql+asyncpg://postgres@127.0.0.1:5432/$DB"
export MODERATION_REDIS_URL=redis://127.0.0.1:6379/12
export MODERATION_RATE_LIMIT_PER_MINUTE=100000000
export MODERATION_DATA_DIR="$(mktemp -d)"
mkdir -p $MODERATION_DATA_DIR
.venv/bin/moderation tenants create gb >/dev/null
KEY=$(.venv/bin/moderation keys create --tenant gb --scopes content:read,content:write 2>/dev/null | tail -1)
for ttl in 300 0; do
  MODERATION_CONTENT_CACHE_SECONDS=$ttl .venv/bin/moderation serve --port 8711 > "$MODERATION_DATA_DIR/serve-$ttl.log" 2>&1 &
  PID=$!
  for i in $(seq 1 60); do curl -sf localhost:8711/health/ready >/dev/null && break; sleep 1; done
  ID=$(curl -s -X POST localhost:8711/api/v1/content -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d '{"title":"t","body":"Great blender, five stars","content_type":"text","author_id":"u1"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  sleep 2
  curl -s localhost:8711/api/v1/content/$ID -H "Authorization: Bearer $KEY" >/dev/null
  echo "== content_cache_seconds=$ttl"
  wrk -t2 -c16 -d8s --latency -H "Authorization: Bearer $KEY" http://127.0.0.1:8711/api/v1/content/$ID | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors"

  kill $PID; wait $PID 2>/dev/null || true
done
redis-cli -n 12 flushdb >/dev/null
psql -h 127.0.0.1 -U postgres -qc "drop database $DB with (force)"
