#!/usr/bin/env bash
# Regenerates the bundled demo clip src/main/resources/demo/avis-demo.mp4 and its schedule
# src/main/resources/demo/avis-demo.schedule.json: a held-out video of the hearing benchmark
# (engines/acvis/data/avbench.py, seed 2026; the benchmark's test split uses seed 1000, training seed 0).
# Needs the Debian python3 with numpy/scipy/opencv, ffmpeg, and for the speech espeak-ng and
# sound-theme-freedesktop (no downloads). Usage: docker/make-demo-clip.sh [OUTPUT.mp4]
#
# Scene (10 s, 640x360 = the 160x90 benchmark frame upscaled 4x nearest, 25 fps, H.264 + AAC 48 kHz stereo):
# four objects; which one sounds in which second is in the schedule (per-second flags, onsets/offsets,
# boxes per mp4 frame). The first second is silent, one object (the cyan bar, "flute") never sounds, the
# others start and stop:
#
#   object  category  looks                         sounding seconds
#   0       dog       brown diamond                 1, 3, 5-7
#   1       flute     cyan bar                      never (a visible, silent distractor)
#   2       person    red disc                      1-4 (speech)
#   3       piano     white square with dark keys   1, 4-9
#
# Sounding count per second: 0 3 1 2 2 2 2 2 1 1. Bit-exact flags keep a regenerated clip identical for a
# given ffmpeg build (Debian 12's ffmpeg 5.1 made the committed one).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../src/main/resources/demo/avis-demo.mp4}"
mkdir -p "$(dirname "$out")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$here/../engines" && /usr/bin/python3 -m acvis.data.avbench --demo-out "$tmp" --demo-seed 2026)
cp "$tmp/demo/MP4/avis-demo.mp4" "$out"
cp "$tmp/demo/schedules/avis-demo.json" "${out%.mp4}.schedule.json"

echo "wrote $out ($(stat -c %s "$out") bytes) and ${out%.mp4}.schedule.json"
