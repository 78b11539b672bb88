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

ls -l ./*.mp4
