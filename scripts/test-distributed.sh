#!/usr/bin/env bash
# The distributed end-to-end suite (test/distributed): a real Kafka 4 broker with a fresh data dir, our
# Kafka-only daprd, then vitest on test/distributed (each test starts the five services with their sidecars
# against an embedded PostgreSQL); Kafka is stopped, and its data wiped, whatever the outcome.
# Extra arguments go to vitest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export KAFKA_DATA="${KAFKA_DATA:-$(mktemp -d "${TMPDIR:-/tmp}/todo-kafka-XXXXXX")}"
stop_kafka() { KAFKA_WIPE=1 "$ROOT/scripts/kafka-stop.sh" || true; }
trap stop_kafka EXIT

"$ROOT/scripts/build-daprd.sh"
"$ROOT/scripts/kafka-start.sh"
export DAPRD_BIN="${DAPRD_BIN:-$ROOT/.cache/bin/daprd}"
npx vitest run --config vitest.distributed.config.ts "$@"
