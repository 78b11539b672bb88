#!/usr/bin/env bash
# Restart-to-serving of `serve` against a broker in its own process (so kill -9 of the service leaves the cluster
# up, as in production). Prints one line per restart: how it was stopped, seconds from the stop signal to readiness
# (/q/health/ready = Kafka Streams RUNNING with its partitions assigned) of the new process, and of that the JVM
# start (process start to topology start-up). Usage (after `mvn package -DskipTests`):
#   tools/restart-to-serving.sh [extra -D options for serve, e.g. -Davis.topology.instance-id=none]
set -euo pipefail
JAR=${JAR:-target/quarkus-app/quarkus-run.jar}
WORK=$(mktemp -d /tmp/avis-restart-XXXX)
BROKER_PORT=${BROKER_PORT:-19092}
HTTP_PORT=${HTTP_PORT:-18080}
EXTRA=("$@")
JAVA_OPTS=${JAVA_OPTS:--Xmx1g}
broker_pid=""; serve_pid=""
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null || true
  [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

java $JAVA_OPTS -Dquarkus.http.port=0 -Davis.broker.port=$BROKER_PORT -Davis.broker.data-dir="$WORK/broker" \
  -jar "$JAR" broker > "$WORK/broker.log" 2>&1 &
broker_pid=$!
until grep -q "Broker ready" "$WORK/broker.log"; do sleep 0.5; kill -0 $broker_pid; done

run=0
start_serve() {
  run=$((run + 1))
  java $JAVA_OPTS -Dquarkus.http.port=$HTTP_PORT -Dkafka.bootstrap.servers=127.0.0.1:$BROKER_PORT \
    -Davis.topology.state-dir="$WORK/state" "${EXTRA[@]}" -jar "$JAR" serve > "$WORK/serve-$run.log" 2>&1 &
  serve_pid=$!
}
# seconds between the first log line matching $2 and the first matching $3 in log $1 (Quarkus timestamps)
span() {
  local a b
  a=$(grep -m1 "$2" "$1" | awk '{print $2}' | tr , .)
  b=$(grep -m1 "$3" "$1" | awk '{print $2}' | tr , .)
  python3 -c "import sys;f=lambda t:sum(float(x)*m for x,m in zip(t.split(':'),(3600,60,1)));print('%.1f'%(f('$b')-f('$a')))"
}
now() { date +%s.%N; }
await_ready() {
  until curl -sf "http://127.0.0.1:$HTTP_PORT/q/health/ready" > /dev/null; do sleep 0.2; kill -0 $serve_pid; done
}

start_serve; await_ready
printf "%-8s %10s %12s\n" "stop" "to-ready-s" "kafka-part-s"
for sig in TERM KILL TERM KILL; do
  sleep 3
  t0=$(now)
  kill -s $sig $serve_pid; wait $serve_pid 2>/dev/null || true
  start_serve; await_ready
  t1=$(now)
  # kafka part: from "Using Kafka cluster" (JVM, CDI and engine warm-up done) to "topology running"
  printf "%-8s %10.1f %12s\n" "$sig" "$(echo "$t1 - $t0" | bc -l)" \
    "$(span "$WORK/serve-$run.log" "Using Kafka cluster" "topology running")"
done
