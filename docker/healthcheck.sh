#!/usr/bin/env bash
# Container health check for avis-stream images: GET one of the service's health endpoints on the local HTTP port
# and succeed only on HTTP 200. Uses bash's /dev/tcp, so the runtime image needs no curl or wget.
#   avis-healthcheck                  # /q/health/ready (topology RUNNING), what the image's HEALTHCHECK runs
#   avis-healthcheck /q/health/live   # liveness (topology not failed)
# The port is QUARKUS_HTTP_PORT when set (as Quarkus reads it), else 8080.
set -u
path="${1:-/q/health/ready}"
port="${QUARKUS_HTTP_PORT:-8080}"
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3 || exit 1
IFS= read -r -t 5 status <&3 || exit 1
exec 3<&-
case "$status" in
  "HTTP/1."?" 200"*) exit 0 ;;
  *) echo "avis-healthcheck: ${path}: ${status%$'\r'}" >&2; exit 1 ;;
esac
