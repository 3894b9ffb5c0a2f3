#!/usr/bin/env bash
# Starts a single-node Apache Kafka 4 broker (KRaft, combined broker+controller)
# on loopback from Maven Central jars (tools/kafka/pom.xml), and creates the
# topics of docs/architecture.md §5. Idempotent: a broker already answering is reused.
#
# Env (defaults):
#   KAFKA_HOST=127.0.0.1  KAFKA_PORT=9092  KAFKA_CONTROLLER_PORT=9093
#   KAFKA_HOME=<repo>/.cache/kafka   (libs/, data/, config/, kafka.pid, kafka.log)
#   KAFKA_LIBS=$KAFKA_HOME/libs      KAFKA_DATA=$KAFKA_HOME/data
#   KAFKA_HEAP_OPTS="-Xms256m -Xmx512m"  KAFKA_READY_TIMEOUT=90 (seconds)
#   KAFKA_TOPICS="task-events:3 reminders:1 task-updates:3"
# Needs Java 17+ and Maven (with access to Maven Central on the first run).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KAFKA_HOST="${KAFKA_HOST:-127.0.0.1}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HOME="${KAFKA_HOME:-$ROOT/.cache/kafka}"
KAFKA_LIBS="${KAFKA_LIBS:-$KAFKA_HOME/libs}"
KAFKA_DATA="${KAFKA_DATA:-$KAFKA_HOME/data}"
KAFKA_CONF="$KAFKA_HOME/config"
KAFKA_PID_FILE="$KAFKA_HOME/kafka.pid"
KAFKA_LOG="$KAFKA_HOME/kafka.log"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-90}"
KAFKA_TOPICS="${KAFKA_TOPICS:-task-events:3 reminders:1 task-updates:3}"
BOOTSTRAP="$KAFKA_HOST:$KAFKA_PORT"

log() { echo "kafka-start: $*"; }
die() { echo "kafka-start: $*" >&2; exit 1; }

command -v java >/dev/null || die "java not found (Kafka 4 needs Java 17+)"

# 1. Jars (re-fetched when the pom's kafka.version changes).
POM="$ROOT/tools/kafka/pom.xml"
kafka_version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM")"
[[ -n "$kafka_version" ]] || die "no <kafka.version> in $POM"
if [[ ! -f "$KAFKA_LIBS/kafka_2.13-$kafka_version.jar" ]]; then
  command -v mvn >/dev/null || die "mvn not found"
  log "fetching Kafka $kafka_version jars into $KAFKA_LIBS"
  rm -rf "$KAFKA_LIBS"
  mkdir -p "$KAFKA_LIBS" "$KAFKA_HOME"
  if ! mvn -q -B -f "$POM" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS" >"$KAFKA_HOME/mvn.log" 2>&1; then
    cat "$KAFKA_HOME/mvn.log" >&2
    rm -rf "$KAFKA_LIBS"
    die "mvn dependency:copy-dependencies failed"
  fi
fi
CP="$KAFKA_LIBS/*"

kjava() { java -Xms64m -Xmx256m -Dlog4j2.configurationFile="$KAFKA_CONF/log4j2.properties" -cp "$CP" "$@"; }
topics() { kjava org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" "$@"; }
# Our broker is running: the pid file names a live process that is kafka.Kafka.
running() {
  local cmd
  [[ -f "$KAFKA_PID_FILE" ]] || return 1
  cmd="$(tr '\0' ' ' 2>/dev/null <"/proc/$(cat "$KAFKA_PID_FILE")/cmdline")" || return 1
  [[ "$cmd" == *" kafka.Kafka "* ]]
}

# 2. Configuration (rewritten each start so env overrides apply).
mkdir -p "$KAFKA_CONF" "$KAFKA_DATA"
cat >"$KAFKA_CONF/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
cat >"$KAFKA_CONF/log4j2.properties" <<'PROPS'
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = STDOUT
PROPS

# 3. Start (unless ours is already running).
if running; then
  log "already running (pid $(cat "$KAFKA_PID_FILE"))"
else
  if [[ ! -f "$KAFKA_DATA/meta.properties" ]]; then
    cluster_id="$(kjava kafka.tools.StorageTool random-uuid)"
    log "formatting $KAFKA_DATA (cluster id $cluster_id)"
    kjava kafka.tools.StorageTool format --standalone -t "$cluster_id" \
      -c "$KAFKA_CONF/server.properties" --ignore-formatted >/dev/null
  fi
  log "starting broker on $BOOTSTRAP (controller $KAFKA_HOST:$KAFKA_CONTROLLER_PORT), log $KAFKA_LOG"
  # shellcheck disable=SC2086 # KAFKA_HEAP_OPTS is a list of JVM flags
  nohup java $KAFKA_HEAP_OPTS -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$KAFKA_CONF/log4j2.properties" \
    -cp "$CP" kafka.Kafka "$KAFKA_CONF/server.properties" >>"$KAFKA_LOG" 2>&1 </dev/null &
  echo $! >"$KAFKA_PID_FILE"
fi

# 4. Wait until the broker answers.
deadline=$((SECONDS + KAFKA_READY_TIMEOUT))
until topics --list >/dev/null 2>&1; do
  running || { tail -n 30 "$KAFKA_LOG" >&2; die "broker exited; see $KAFKA_LOG"; }
  ((SECONDS < deadline)) || { tail -n 30 "$KAFKA_LOG" >&2; die "broker not ready after ${KAFKA_READY_TIMEOUT}s"; }
  sleep 1
done
log "broker ready"

# 5. Topics.
for spec in $KAFKA_TOPICS; do
  topics --create --if-not-exists --topic "${spec%%:*}" --partitions "${spec##*:}" \
    --replication-factor 1 >/dev/null
done
topics --describe --exclude-internal | grep -E '^Topic:' | sed 's/^/kafka-start: /'
