"""What the model hears: the service's ``mel`` patches against the official extractor, per mel band group.

Run from the repository root after ``mvn -B -q -o package -DskipTests``::

    /usr/bin/python3 engines/tools/mel_vs_official.py [--jar target/quarkus-app/quarkus-run.jar] [--work DIR]

For each test input (stereo WAVs at 44.1 and 48 kHz, 4.4 s: four full seconds and a 0.4 s last one) it computes

* **official**: the official ``wavfile_to_examples`` procedure (spec §2.3): second ``[i*sr, (i+1)*sr)``, int16 /
  32768, channel mean, ``resampy.resample(..., 16000)`` (``kaiser_best``) of that second alone, VGGish log-mel
  (``acvis.mel.patch_for_window``, exact vs ``vggish_input``), first patch or zeros;
* **after**: ``java -jar quarkus-run.jar mel --input WAV --out PATCHES.npy`` (the service's audio path, the audio
  topic carrying f32le as ``ingest`` sends it by default); **after, s16le topic**: the same with
  ``--audio-encoding s16le`` (a producer rounding the 16 kHz signal to 16 bits, as every producer did before f32le);
* **before**: the service's previous audio path, rebuilt with the ``ffmpeg`` CLI: swresample's default filter
  to 16 kHz mono s16 over the whole file (``-ac 1 -ar 16000``), window ``[t, t + 15600)`` from the continuous
  stream, and a patch computed from a zero-filled partial window (the old engine rule);

and prints the largest absolute log-mel difference to the official patches per band group, over the full seconds
and, separately, the partial last second. Inputs: ``mix`` (``stereo_mix`` of ``make_resample_vectors.py``: tones,
7.5/7.9 kHz tones, a 6-8 kHz chirp, a -64 dBFS/bin noise floor), ``noise`` (white, independent channels, -20 dBFS),
``tones`` (``stereo_tones``: 7.5 and 7.9 kHz tones on silence: no noise floor, so the 16-bit rounding of an s16le
topic shows).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
from scipy.io import wavfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

from acvis import mel  # noqa: E402
import make_resample_vectors as vectors  # noqa: E402

GROUPS = ((0, 16), (16, 32), (32, 48), (48, 60), (60, 64))
SECONDS = 4.4
FRAMES = 5


def inputs(rate: int):
    n = int(round(rate * SECONDS))
    yield "mix", vectors.stereo_mix(rate, SECONDS)
    rng = np.random.default_rng(rate)
    yield "noise", vectors._int16(rng.normal(0.0, 3277.0, size=(n, 2)))
    yield "tones", vectors.stereo_tones(rate, SECONDS)


def before(wav: str, frames: int) -> np.ndarray:
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", wav, "-ac", "1", "-ar", "16000", "-f", "s16le", "-"],
                         check=True, capture_output=True).stdout
    pcm = np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768.0
    out = np.zeros((frames, 96, 64))
    for i in range(frames):
        window = np.zeros(mel.PATCH_SAMPLES)
        part = pcm[i * 16000:i * 16000 + mel.PATCH_SAMPLES]
        window[:part.shape[0]] = part
        if part.shape[0] > 0:
            out[i] = mel.patch_for_window(window)
    return out


def after(jar: str, wav: str, work: str, encoding: str = "f32le") -> np.ndarray:
    out = os.path.join(work, os.path.basename(wav) + "." + encoding + ".npy")
    subprocess.run(["java", "-jar", jar, "mel", "--input", wav, "--out", out, "--audio-encoding", encoding],
                   check=True, capture_output=True)
    return np.load(out).astype(np.float64)


def worst(a: np.ndarray, b: np.ndarray) -> list[float]:
    return [float(np.abs(a[..., lo:hi] - b[..., lo:hi]).max()) for lo, hi in GROUPS]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jar", default="target/quarkus-app/quarkus-run.jar")
    parser.add_argument("--work", default=None)
    args = parser.parse_args(argv)
    work = args.work or tempfile.mkdtemp(prefix="mel-vs-official-")
    os.makedirs(work, exist_ok=True)
    header = " | ".join(f"bands {lo}-{hi - 1}" for lo, hi in GROUPS)
    print(f"| input | path | seconds | {header} |")
    print("|---|---|---|" + "---|" * len(GROUPS))
    for rate in (44100, 48000):
        for name, pcm in inputs(rate):
            wav = os.path.join(work, f"{name}-{rate}.wav")
            wavfile.write(wav, rate, pcm)
            official = vectors.official_patches(pcm, rate, FRAMES)
            paths = (("before", before(wav, FRAMES)), ("after, s16le topic", after(args.jar, wav, work, "s16le")),
                     ("after", after(args.jar, wav, work)))
            for label, got in paths:
                assert got.shape == official.shape, (label, got.shape)
                full = worst(got[:FRAMES - 1], official[:FRAMES - 1])
                last = worst(got[FRAMES - 1:], official[FRAMES - 1:])
                print(f"| {name} {rate / 1000:g} kHz stereo | {label} | full | "
                      + " | ".join(f"{v:.3g}" for v in full) + " |")
                print(f"| {name} {rate / 1000:g} kHz stereo | {label} | last 0.4 s | "
                      + " | ".join(f"{v:.3g}" for v in last) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
