#!/usr/bin/env bash
# Builds docker/Dockerfile (the real multi-stage build) and runs the image, end to end, on this machine:
#
#   1. base images: the Dockerfile's defaults (maven:3.9-eclipse-temurin-17, eclipse-temurin:17-jre) when they can
#      be pulled; otherwise made here from Debian packages with debootstrap (bookworm, minbase, from the mirror apt
#      uses): JDK 17 + Maven for the build stage, JRE 17 for the runtime stage, imported as localhost/ images.
#   2. build: `podman build` (or `docker build` when a Docker engine answers) with the host's Maven repository
#      (~/.m2) mounted into the build stage, so dependencies are not downloaded again.
#   3. demo: `demo` in a container (in-process broker + topology + bundled clip), outputs on a mounted folder:
#      masks.jsonl and annotated.mp4 must exist and be non-empty, events.jsonl must exist, exit status 0.
#   4. serve: `serve` in a detached container with the in-process broker and the HTTP port published on
#      127.0.0.1; /q/health/ready through the published port (docker/healthcheck.sh from the host) and the image's
#      own HEALTHCHECK; then a clip from the host (mounted read-only) is ingested and its masks consumed back by a
#      second process in the serve container (`podman exec ... demo --input`) with kafka.bootstrap.servers = the
#      serve container's broker. The in-process broker listens on and advertises 127.0.0.1 inside the container
#      (EmbeddedKafka; avis.broker.* only sets port and data directory), so a Kafka client outside the container's
#      network namespace cannot use it through a published port; hence the exec. `demo` always starts a topology
#      of its own (Kafka Streams cannot reach RUNNING with zero stream threads), so the client runs under its own
#      application id: the masks topic then holds the records of both applications (the same per frame), and the
#      proof that `serve` processed the clip is its own track table for that stream, read from the host through
#      the published port (GET /streams/host-clip/tracks = 200 with tracks).
#   5. prints the image size and the timings, then `image ok`.
#
# Everything it creates (containers, the image, the base images it made, temporary folders) is removed on exit.
# Fails (non-zero, with the reason) when no container engine can run here; it never skips.
#
# Environment:
#   AVIS_IMAGE_BASE=auto|pull|debian  auto (default): pull the public bases, make Debian ones when that fails
#   AVIS_DEBIAN_MIRROR=URL            mirror for debootstrap (default: the first Debian mirror in apt's sources)
#   AVIS_KEEP_BASE_IMAGES=1           keep the Debian base images (localhost/avis-base-*) for the next run
#   AVIS_TEST_TIMEOUT=SECONDS         longest wait for each container step (default 900)
#   AVIS_MAVEN_REPO=DIR               Maven repository mounted into the build stage (default ~/.m2; podman only)
set -euo pipefail
cd "$(dirname "$0")/.."

t_start=$(date +%s)
step_timeout="${AVIS_TEST_TIMEOUT:-900}"
tag="avis-test-$$"
image="localhost/avis-stream:${tag}"
demo_ctr="${tag}-demo"
serve_ctr="${tag}-serve"
work="$(mktemp -d /tmp/avis-image-test.XXXXXX)"
made_images=()
declare -A timing

say() { printf '[test-image] %s\n' "$*"; }
fail() { printf '[test-image] FAILED: %s\n' "$*" >&2; exit 1; }
# Podman without systemd (containers, CI) logs an error on every container with a HEALTHCHECK because it cannot
# schedule the check with a systemd timer; harmless (this script runs the check itself), so filtered out.
eng() { "$engine" "$@" 2> >(grep -v 'unable to get systemd connection' >&2); }
elapsed() { echo $(( $(date +%s) - $1 )); }

# ---- container engine ------------------------------------------------------------------------------------
engine=""
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  engine=docker
elif command -v podman >/dev/null 2>&1; then
  engine=podman
else
  fail "no container engine: neither a Docker engine answering 'docker info' nor podman is installed (bash .ci/run installs podman)"
fi

cleanup() {
  local rc=$?
  set +e
  if [ "$rc" -ne 0 ] && [ -n "$engine" ]; then
    for c in "$serve_ctr" "$demo_ctr"; do
      if $engine container exists "$c" 2>/dev/null || $engine inspect "$c" >/dev/null 2>&1; then
        say "last log lines of $c:"
        $engine logs --tail 40 "$c" 2>&1 | sed 's/^/    /'
      fi
    done
  fi
  $engine rm -f -v "$serve_ctr" "$demo_ctr" >/dev/null 2>&1
  $engine rmi -f "$image" >/dev/null 2>&1
  if [ "${AVIS_KEEP_BASE_IMAGES:-0}" != 1 ]; then
    for i in "${made_images[@]}"; do $engine rmi -f "$i" >/dev/null 2>&1; done
  fi
  # Intermediate images of this build (the build stage) that nothing else uses.
  if [ -f "$work/dangling-before" ]; then
    $engine images -q --filter dangling=true 2>/dev/null | sort -u > "$work/dangling-after"
    comm -13 "$work/dangling-before" "$work/dangling-after" | xargs -r $engine rmi -f >/dev/null 2>&1
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runtime and limits for podman. Containers here may not raise resource limits (no CAP_SYS_RESOURCE in the
# bounding set), and podman's defaults (nofile 1048576, nproc 4194304) are above the host's, so the OCI runtime
# fails with "error setting rlimit type 7: operation not permitted". Pass limits at or below the host's.
run_opts=()
build_opts=()
if [ "$engine" = podman ]; then
  nofile=$(ulimit -Hn); [ "$nofile" = unlimited ] && nofile=65536; [ "$nofile" -gt 65536 ] && nofile=65536
  nproc=$(ulimit -Hu); [ "$nproc" = unlimited ] && nproc=16384; [ "$nproc" -gt 16384 ] && nproc=16384
  run_opts+=(--ulimit "nofile=${nofile}:${nofile}" --ulimit "nproc=${nproc}:${nproc}")
  # The default runtime (crun) works with these limits; runc is the fallback if crun is absent.
  if ! podman info --format '{{.Host.OCIRuntime.Name}}' >/dev/null 2>&1; then
    fail "podman is installed but 'podman info' fails: $(podman info 2>&1 | tail -1)"
  fi
  if command -v runc >/dev/null 2>&1 && ! command -v crun >/dev/null 2>&1; then
    run_opts+=(--runtime runc)
  fi
  # chroot isolation: RUN steps need no OCI runtime or network namespace setup; --format docker keeps HEALTHCHECK.
  build_opts+=(--isolation chroot --format docker --layers=false)
fi
say "engine: $engine ($($engine --version 2>/dev/null | head -1))"

# ---- base images -----------------------------------------------------------------------------------------
# Fully qualified: podman does not resolve short names without unqualified-search registries.
build_base="docker.io/library/maven:3.9-eclipse-temurin-17"
runtime_base="docker.io/library/eclipse-temurin:17-jre"
mode="${AVIS_IMAGE_BASE:-auto}"

debian_mirror() {
  if [ -n "${AVIS_DEBIAN_MIRROR:-}" ]; then echo "$AVIS_DEBIAN_MIRROR"; return; fi
  local m
  m=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}' | grep -v security | head -1)
  [ -z "$m" ] && m=$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | grep -v security | awk '{for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' | head -1)
  echo "${m:-http://deb.debian.org/debian}"
}

# make_base NAME PACKAGES: debootstrap bookworm minbase + PACKAGES, trimmed, imported as localhost/NAME:bookworm.
make_base() {
  local name=$1 packages=$2 dir="$work/rootfs-$1" ref="localhost/$1:bookworm"
  if [ "${AVIS_KEEP_BASE_IMAGES:-0}" = 1 ] && $engine image inspect "$ref" >/dev/null 2>&1; then
    say "reusing $ref"; return 0
  fi
  debootstrap --variant=minbase --include="$packages" bookworm "$dir" "$(debian_mirror)" \
    > "$work/debootstrap-$name.log" 2>&1 \
    || { tail -20 "$work/debootstrap-$name.log" >&2; fail "debootstrap of $name failed (log above)"; }
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc "$dir"/usr/share/man \
    "$dir"/usr/share/info "$dir"/var/log/*
  tar -C "$dir" -c . | $engine import --quiet --change 'ENV LANG=C.UTF-8' - "$ref" >/dev/null
  rm -rf "$dir"
}

t0=$(date +%s)
use_debian=0
if [ "$mode" = debian ]; then
  use_debian=1
else
  for ref in "$build_base" "$runtime_base"; do
    if ! $engine image inspect "$ref" >/dev/null 2>&1 && ! timeout 300 $engine pull -q "$ref" >"$work/pull.log" 2>&1; then
      [ "$mode" = pull ] && fail "cannot pull $ref: $(tail -1 "$work/pull.log")"
      say "cannot pull $ref ($(tail -1 "$work/pull.log" | cut -c1-160)); making the base images from Debian packages"
      use_debian=1
      break
    fi
  done
fi
if [ "$use_debian" = 1 ]; then
  command -v debootstrap >/dev/null 2>&1 || fail "debootstrap is not installed (bash .ci/run installs it)"
  [ "$(id -u)" -eq 0 ] || fail "debootstrap needs root to make the base images (run as root or set AVIS_IMAGE_BASE=pull)"
  say "debootstrap from $(debian_mirror): avis-base-build (openjdk-17-jdk-headless, maven), avis-base-runtime (openjdk-17-jre-headless)"
  build_base="localhost/avis-base-build:bookworm"
  runtime_base="localhost/avis-base-runtime:bookworm"
  # Both at once: mostly download and unpack, which overlap well.
  make_base avis-base-build "openjdk-17-jdk-headless,maven" & p1=$!
  make_base avis-base-runtime "openjdk-17-jre-headless" & p2=$!
  s1=0; s2=0; wait $p1 || s1=$?; wait $p2 || s2=$?
  made_images+=("$build_base" "$runtime_base")
  [ $s1 -eq 0 ] && [ $s2 -eq 0 ] || fail "making the Debian base images failed"
fi
timing[base]=$(elapsed "$t0")
say "base images: build=$build_base runtime=$runtime_base (${timing[base]} s)"

# The runtime base must start a container at all: if not, say why (user namespaces, cgroups, limits...).
if ! probe=$($engine run --rm "${run_opts[@]}" "$runtime_base" java -version 2>&1); then
  fail "$engine cannot run a container here: $(echo "$probe" | tail -3 | tr '\n' ' ')"
fi

# ---- build -----------------------------------------------------------------------------------------------
t0=$(date +%s)
$engine images -q --filter dangling=true 2>/dev/null | sort -u > "$work/dangling-before"
m2_opts=()
if [ "$engine" = podman ]; then
  m2="${AVIS_MAVEN_REPO:-$HOME/.m2}"
  mkdir -p "$m2"
  m2_opts+=(--volume "$m2:/root/.m2")
  build_opts+=(--ignorefile docker/Dockerfile.dockerignore)
fi
say "building $image from docker/Dockerfile (Maven repository: ${m2_opts[*]:-none, downloads})"
$engine build "${build_opts[@]}" "${m2_opts[@]}" \
  --build-arg "BUILD_IMAGE=$build_base" --build-arg "RUNTIME_IMAGE=$runtime_base" \
  -f docker/Dockerfile -t "$image" . > "$work/build.log" 2>&1 \
  || { tail -40 "$work/build.log" >&2; fail "image build failed (last lines above)"; }
timing[build]=$(elapsed "$t0")
size_bytes=$($engine image inspect --format '{{.Size}}' "$image")
say "built $image: $(( size_bytes / 1000000 )) MB (${timing[build]} s)"

# Image metadata: non-root user, health check, entry point.
user=$($engine image inspect --format '{{.Config.User}}' "$image")
[ -n "$user" ] && [ "$user" != root ] && [ "$user" != 0 ] || fail "image runs as root (User='$user')"
$engine image inspect --format '{{json .Config.Healthcheck}}' "$image" | grep -q avis-healthcheck \
  || fail "image has no HEALTHCHECK (podman needs --format docker to keep it)"

# ---- demo in a container ---------------------------------------------------------------------------------
t0=$(date +%s)
mkdir -p "$work/demo-out"
chmod 0777 "$work/demo-out"   # written by the image's user 185
say "demo: $engine run $image demo"
timeout "$step_timeout" "$engine" run --name "$demo_ctr" "${run_opts[@]}" \
  -v "$work/demo-out:/deployments/out" "$image" demo > "$work/demo.log" 2>&1 \
  || { rc=$?; tail -40 "$work/demo.log" >&2; fail "demo in the container failed or timed out (exit $rc)"; }
eng rm -f -v "$demo_ctr" >/dev/null
# events.jsonl may be empty (how many events fire is the model's business, not the image's): it must exist.
[ -f "$work/demo-out/demo/events.jsonl" ] || { tail -40 "$work/demo.log" >&2; fail "demo wrote no out/demo/events.jsonl"; }
for f in masks.jsonl annotated.mp4; do
  [ -s "$work/demo-out/demo/$f" ] || { tail -40 "$work/demo.log" >&2; fail "demo wrote no (or an empty) out/demo/$f"; }
done
timing[demo]=$(elapsed "$t0")
say "demo ok: $(wc -l < "$work/demo-out/demo/masks.jsonl") masks records, $(wc -l < "$work/demo-out/demo/events.jsonl") events, annotated.mp4 $(stat -c %s "$work/demo-out/demo/annotated.mp4") bytes (${timing[demo]} s)"
grep -E "frames|engine|wall" "$work/demo.log" | grep -v DEBUG | tail -6 | sed 's/^/    /' || true

# ---- serve in a container, clip ingested from the host ---------------------------------------------------
t0=$(date +%s)
http_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
  || echo $(( 20000 + $$ % 20000 )))
mkdir -p "$work/serve-out" "$work/clip"
chmod 0777 "$work/serve-out"
cp src/main/resources/demo/avis-demo.mp4 "$work/clip/host-clip.mp4"
say "serve: $engine run -d -p 127.0.0.1:${http_port}:8080 $image serve"
eng run -d --name "$serve_ctr" "${run_opts[@]}" -p "127.0.0.1:${http_port}:8080" \
  -e AVIS_BROKER_PORT=9092 -v "$work/serve-out:/deployments/out" -v "$work/clip:/clip:ro" "$image" serve >/dev/null
deadline=$(( $(date +%s) + step_timeout ))
until QUARKUS_HTTP_PORT=$http_port bash docker/healthcheck.sh /q/health/ready 2>/dev/null; do
  [ "$($engine inspect --format '{{.State.Running}}' "$serve_ctr")" = true ] || fail "serve container exited"
  [ "$(date +%s)" -lt "$deadline" ] || fail "serve not ready within ${step_timeout}s"
  sleep 2
done
timing[serve_ready]=$(elapsed "$t0")
say "serve ready through the published port 127.0.0.1:${http_port} (${timing[serve_ready]} s)"
QUARKUS_HTTP_PORT=$http_port bash docker/healthcheck.sh /q/health/live || fail "/q/health/live is not 200"
if [ "$engine" = podman ]; then
  podman healthcheck run "$serve_ctr" >/dev/null || fail "the image's HEALTHCHECK reports unhealthy on a ready service"
else
  docker exec "$serve_ctr" /usr/local/bin/avis-healthcheck || fail "the image's health check fails on a ready service"
fi
say "image HEALTHCHECK healthy"

t1=$(date +%s)
say "ingest: host clip -> serve's in-process broker (127.0.0.1:9092 in the container), masks consumed back"
timeout "$step_timeout" $engine exec "$serve_ctr" java \
  -Dkafka.bootstrap.servers=127.0.0.1:9092 \
  -Davis.topology.application-id=avis-ingest-client -Davis.topology.state-dir=/tmp/ingest-client-state \
  -Davis.engine.warm-up=false -Dquarkus.http.port=0 \
  -jar /deployments/quarkus-run.jar demo --input /clip/host-clip.mp4 --stream host-clip --out out/ingest \
  > "$work/ingest.log" 2>&1 || { tail -40 "$work/ingest.log" >&2; fail "ingest through the serve container failed"; }
[ -f "$work/serve-out/ingest/events.jsonl" ] || fail "ingest wrote no events.jsonl"
for f in masks.jsonl annotated.mp4; do
  [ -s "$work/serve-out/ingest/$f" ] || fail "ingest wrote no (or an empty) $f"
done
grep -q '"engine"' "$work/serve-out/ingest/masks.jsonl" || fail "masks records carry no engine"
code=$(curl -s -o "$work/tracks.json" -w '%{http_code}' "http://127.0.0.1:${http_port}/streams/host-clip/tracks" || true)
[ "$code" = 200 ] || fail "GET /streams/host-clip/tracks on the serve container answered $code (expected 200)"
grep -Eq '"inferredFrames": ?[1-9]' "$work/tracks.json" && grep -q '"trackId"' "$work/tracks.json" || fail "the serve container's track table for host-clip is empty: $(cat "$work/tracks.json")"
timing[ingest]=$(elapsed "$t1")
say "ingest ok: $(wc -l < "$work/serve-out/ingest/masks.jsonl") frames with masks consumed back, serve track table $(wc -c < "$work/tracks.json") bytes (${timing[ingest]} s)"
say "serve container memory after the ingest (both JVMs): $($engine stats --no-stream --format '{{.MemUsage}}' "$serve_ctr" 2>/dev/null || echo n/a)"
eng stop -t 30 "$serve_ctr" >/dev/null
exit_code=$($engine inspect --format '{{.State.ExitCode}}' "$serve_ctr")
eng rm -f -v "$serve_ctr" >/dev/null
[ "$exit_code" = 0 ] || [ "$exit_code" = 143 ] || fail "serve exited with $exit_code on SIGTERM"
timing[serve]=$(elapsed "$t0")

# ---- report ----------------------------------------------------------------------------------------------
timing[total]=$(elapsed "$t_start")
say "image size: $(( size_bytes / 1000000 )) MB ($size_bytes bytes); runtime base $runtime_base"
say "timings (s): base=${timing[base]} build=${timing[build]} demo=${timing[demo]} serve=${timing[serve]} (ready=${timing[serve_ready]} ingest=${timing[ingest]}) total=${timing[total]}"
echo "image ok"
