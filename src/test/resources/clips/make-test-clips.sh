#!/usr/bin/env bash
# Regenerates the small test clips next to this script with the ffmpeg CLI (lavfi sources only).
# Each name states what the decoder tests assert about it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
in=(-hide_banner -loglevel error -y)
exact=(-fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1)

# 2 s, 160x120 @ 10 fps, solid red; 440 Hz sine, 44.1 kHz mono AAC. 20 frames, 880 zero crossings a second.
ffmpeg "${in[@]}" \
  -f lavfi -i "color=c=red:s=160x120:r=10:d=2" \
  -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=2" \
  -c:v libx264 -preset veryfast -pix_fmt yuv420p -threads 1 -c:a aac -b:a 48k -shortest "${exact[@]}" \
  red-160x120-10fps-2s-sine440-mono44k.mp4

# 3 s, 176x144 @ 25 fps test pattern with B-frames; stereo 48 kHz AAC, silent until 1.5 s, then 1000 Hz.
ffmpeg "${in[@]}" \
  -f lavfi -i "testsrc2=s=176x144:r=25:d=3" \
  -f lavfi -i "aevalsrc=exprs='0.5*sin(2*PI*1000*t)*gte(t,1.5)|0.5*sin(2*PI*1000*t)*gte(t,1.5)':s=48000:d=3" \
  -c:v libx264 -preset veryfast -pix_fmt yuv420p -bf 2 -threads 1 -c:a aac -b:a 64k "${exact[@]}" \
  pattern-176x144-25fps-3s-tone1000-from1500ms-stereo48k.mp4

# 1 s, 64x48 @ 5 fps, solid blue, no audio stream at all.
ffmpeg "${in[@]}" \
  -f lavfi -i "color=c=blue:s=64x48:r=5:d=1" \
  -c:v libx264 -preset veryfast -pix_fmt yuv420p -threads 1 "${exact[@]}" \
  blue-64x48-5fps-1s-noaudio.mp4

# 5 s, 96x64 @ 10 fps, LOSSLESS RGB H.264 (libx264rgb -qp 0: every object keeps exactly one colour, which the
# deterministic test engine of the demo integration test needs): black background, a red square sliding right and
# a static green square; 44.1 kHz mono AAC, a loud 1 kHz tone from 0.8 s to 2.0 s, silence otherwise.
ffmpeg "${in[@]}" \
  -f lavfi -i "color=c=black:s=96x64:r=10:d=5" \
  -f lavfi -i "color=c=0xff0000:s=16x16:r=10:d=5" \
  -f lavfi -i "color=c=0x00ff00:s=12x20:r=10:d=5" \
  -f lavfi -i "aevalsrc=exprs='0.5*sin(2*PI*1000*t)*between(t,0.8,2.0)':s=44100:d=5" \
  -filter_complex "[0][1]overlay=x='4+12*t':y=8[a];[a][2]overlay=x=70:y=36,format=rgb24[v]" \
  -map "[v]" -map 3:a -c:v libx264rgb -qp 0 -preset veryfast -threads 1 -c:a aac -b:a 48k "${exact[@]}" \
  squares-96x64-10fps-5s-lossless-rgb-tone800to2000ms.mp4

ls -l ./*.mp4
