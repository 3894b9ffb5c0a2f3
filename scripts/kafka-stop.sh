#!/usr/bin/env bash
# Stops the broker started by scripts/kafka-start.sh (SIGTERM, then SIGKILL
# after KAFKA_STOP_TIMEOUT seconds). KAFKA_WIPE=1 also deletes its data dir.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KAFKA_HOME="${KAFKA_HOME:-$ROOT/.cache/kafka}"
KAFKA_DATA="${KAFKA_DATA:-$KAFKA_HOME/data}"
KAFKA_PID_FILE="$KAFKA_HOME/kafka.pid"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

if [[ -f "$KAFKA_PID_FILE" ]]; then
  pid="$(cat "$KAFKA_PID_FILE")"
  # Only ever signal the broker itself, never a process that reused the pid.
  cmd="$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" || cmd=""
  if [[ "$cmd" == *" kafka.Kafka "* ]]; then
    echo "kafka-stop: stopping pid $pid"
    kill "$pid"
    deadline=$((SECONDS + KAFKA_STOP_TIMEOUT))
    while kill -0 "$pid" 2>/dev/null; do
      if ((SECONDS >= deadline)); then
        echo "kafka-stop: pid $pid still alive after ${KAFKA_STOP_TIMEOUT}s, killing" >&2
        kill -9 "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.5
    done
  else
    echo "kafka-stop: pid $pid is not a running broker (stale pid file)"
  fi
  rm -f "$KAFKA_PID_FILE"
else
  echo "kafka-stop: not running (no $KAFKA_PID_FILE)"
fi

if [[ "${KAFKA_WIPE:-0}" == 1 ]]; then
  echo "kafka-stop: wiping $KAFKA_DATA"
  rm -rf "$KAFKA_DATA"
fi
