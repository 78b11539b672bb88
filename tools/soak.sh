#!/usr/bin/env bash
# A soak run on this machine: `broker` and `serve` (-Xmx1g) in their own JVMs, then `soak` against them; prints
# soak's table (RSS of the serve process). Usage (after `mvn package -DskipTests`):
#   tools/soak.sh [soak options, e.g. --streams 4 --rates 5,10,25 --step 10m]
set -euo pipefail
JAR=${JAR:-target/quarkus-app/quarkus-run.jar}
WORK=$(mktemp -d /tmp/avis-soak-XXXX)
PORT=${BROKER_PORT:-19093}
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
java -Dquarkus.http.port=0 -Davis.broker.port=$PORT -Davis.broker.data-dir="$WORK/broker" -jar "$JAR" broker \
  > "$WORK/broker.log" 2>&1 &
pids+=($!)
until grep -q "Broker ready" "$WORK/broker.log"; do sleep 0.5; done
java -Xmx1g -Dquarkus.http.port=0 -Dkafka.bootstrap.servers=127.0.0.1:$PORT -Davis.topology.state-dir="$WORK/state" \
  -jar "$JAR" serve > "$WORK/serve.log" 2>&1 &
serve=$!
pids+=($serve)
until grep -q "topology running" "$WORK/serve.log"; do sleep 0.5; kill -0 $serve; done
java -Dquarkus.http.port=0 -Dkafka.bootstrap.servers=127.0.0.1:$PORT -jar "$JAR" soak --pid $serve "$@" 2>/dev/null
echo "state dir after the run: $(du -sh "$WORK/state" | cut -f1)"
