#!/usr/bin/env bash
# Regenerates the bundled demo clip src/main/resources/demo/avis-demo.mp4 from ffmpeg lavfi sources only
# (no downloads, no external media). Usage: docker/make-demo-clip.sh [OUTPUT.mp4]
#
# Scene (10 s, 640x360, 25 fps, H.264 + AAC 48 kHz stereo): four objects on a dark background, three of them
# "sound" for part of the clip, so the demo has onsets, offsets and sounding-count changes to report:
#
#   object        shape / colour           visible     sounding (tone)
#   ------------  -----------------------  ----------  -------------------------
#   red square    90x90, slides right      0 - 10 s    1.0 - 4.0 s  440 Hz
#   green bar     60x140, bobs up/down     0 - 10 s    3.0 - 6.5 s  880 Hz
#   yellow disc   r=50, drifts diagonally  5 - 10 s    6.0 - 9.0 s  660 Hz
#   blue square   70x70, static            0 - 10 s    never (a visible, silent object)
#
# Sounding count over time: 0 | 1 (1 s) | 2 (3 s) | 1 (4 s) | 2 (6 s) | 1 (6.5 s) | 0 (9 s).
# Tones have 20 ms linear ramps so onsets are clean but not clicky. Bit-exact flags keep a regenerated clip
# identical for a given ffmpeg build (Debian 12's ffmpeg 5.1 made the committed one).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../src/main/resources/demo/avis-demo.mp4}"
mkdir -p "$(dirname "$out")"

duration=10
size=640x360
fps=25

# env(a,b): 1 inside [a,b] with 20 ms ramps at both ends, 0 outside.
env() { echo "clip((t-$1)/0.02,0,1)*clip(($2-t)/0.02,0,1)"; }
tone="0.25*sin(2*PI*440*t)*$(env 1.0 4.0)+0.25*sin(2*PI*880*t)*$(env 3.0 6.5)+0.25*sin(2*PI*660*t)*$(env 6.0 9.0)"

ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "color=c=0x1e2630:s=${size}:r=${fps}:d=${duration}" \
  -f lavfi -i "color=c=0xe03c31:s=90x90:r=${fps}:d=${duration}" \
  -f lavfi -i "color=c=0x3cb44b:s=60x140:r=${fps}:d=${duration}" \
  -f lavfi -i "color=c=0xffe119:s=100x100:r=${fps}:d=${duration},format=rgba,geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='if(lte(hypot(X-49.5,Y-49.5),50),255,0)'" \
  -f lavfi -i "color=c=0x4363d8:s=70x70:r=${fps}:d=${duration}" \
  -f lavfi -i "aevalsrc=exprs='${tone}|${tone}':s=48000:d=${duration}" \
  -filter_complex "\
[0][4]overlay=x=470:y=40[b1];\
[b1][1]overlay=x='30+45*t':y=230[b2];\
[b2][2]overlay=x=540:y='120+70*sin(1.3*t)'[b3];\
[b3][3]overlay=x='120+30*(t-5)':y='40+12*(t-5)':enable='between(t,5,10)',format=yuv420p[v]" \
  -map "[v]" -map 5:a \
  -c:v libx264 -preset medium -crf 26 -g 50 -threads 1 \
  -c:a aac -b:a 64k \
  -fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1 \
  -movflags +faststart -t ${duration} "$out"

echo "wrote $out ($(stat -c %s "$out") bytes)"
