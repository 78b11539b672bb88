"""Reference vectors for the Java resampler and model-audio tests (``src/test/resources/parity/resample/``).

Run from the repository root with the Debian interpreter (python3-resampy 0.4.2, numpy)::

    /usr/bin/python3 engines/tools/make_resample_vectors.py [--out src/test/resources/parity/resample]

Writes NumPy ``.npy`` files (little-endian, C order):

* ``<rate>-<case>.in.npy`` int16 [n] (mono) or [n, 2] (stereo), 0.1 s at ``rate`` Hz, and
  ``<rate>-<case>.out.npy`` float64: ``resampy.resample(mono, rate, 16000)`` with the default ``kaiser_best``
  filter, where ``mono`` is the official downmix (int16 / 32768, then the channel mean). Rates 8000, 22050,
  44100 and 48000; cases: tones just below the 16 kHz cut-off (7.5 and 7.9 kHz; 3.9 kHz at 8 kHz, which is
  upsampled), a 1 kHz tone, and independent noise on two channels.
* ``e2e-<rate>.mel.npy`` float32 [3, 96, 64] for rates 44100 and 48000: the official ``wavfile_to_examples``
  procedure (each second ``[i*sr, (i+1)*sr)`` averaged to mono, resampled alone with resampy ``kaiser_best``,
  VGGish log-mel, first patch or zeros) on ``stereo_mix(rate, 2.4 s)``: 2 full seconds and a 0.4 s last second
  (all-zero patch). ``stereo_mix`` is defined below and again in the Java test (``ModelAudioParityTest``), which
  builds the same WAV and runs it through the service's audio path.
* ``e2e-tones-<rate>.mel.npy`` float32 [3, 96, 64], the same procedure on ``stereo_tones(rate, 2.4 s)``: 7.5 and
  7.9 kHz tones on digital silence, where every band away from the tones is near ``ln(0.01)`` and any noise the
  service adds (16-bit rounding of an s16le audio topic: up to 0.08) shows. ``AudioParityTopologyTest`` feeds the
  same WAV as f32le records through the topology.

The inputs come from fixed seeds or closed formulas, so rerunning rewrites identical files.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np
import resampy

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # engines/, for acvis.mel

from acvis import mel  # noqa: E402

RATES = (8000, 22050, 44100, 48000)
SECONDS = 0.1
MASK64 = (1 << 64) - 1


def _tone(freq, rate, n, amplitude, phase=0.0):
    t = np.arange(n, dtype=np.float64)
    return amplitude * np.sin(2.0 * np.pi * freq * t / rate + phase)


def _int16(x):
    return np.clip(np.round(x), -32768, 32767).astype(np.int16)


def official_mono(pcm: np.ndarray) -> np.ndarray:
    """The official downmix: int16 / 32768, then the mean over channels."""
    x = pcm.astype(np.float64) / 32768.0
    return x.mean(axis=1) if x.ndim == 2 else x


def lcg_noise(n: int, seed: int) -> np.ndarray:
    """Integers in [-32768, 32767] from a 64-bit LCG (Knuth's MMIX constants); the Java test has the same one."""
    out = np.empty(n, dtype=np.float64)
    state = seed & MASK64
    for i in range(n):
        state = (state * 6364136223846793005 + 1442695040888963407) & MASK64
        out[i] = float((state >> 40) & 0xFFFF) - 32768.0
    return out


def stereo_mix(rate: int, seconds: float) -> np.ndarray:
    """int16 [n, 2]: speech-band tones, tones at 7.5 and 7.9 kHz, a 6-8 kHz chirp and a noise floor.

    Sample n of channel c = round(8000 sin(2 pi (440 + 110 c) n / rate) + 5000 sin(2 pi 7500 n / rate + c)
    + 3000 sin(2 pi 7900 n / rate) + 2000 sin(2 pi (6000 t + 1000 t^2 / T)) + 0.03 * noise_c[n]), t = n / rate,
    T = seconds, noise_c = lcg_noise(n, seed 17 + c). The noise floor (about -64 dBFS per 31 Hz bin) keeps every
    mel band above the 16-bit quantisation noise of an s16le audio topic.
    """
    n = int(round(rate * seconds))
    t = np.arange(n, dtype=np.float64) / rate
    channels = []
    for c in range(2):
        x = (_tone(440.0 + 110.0 * c, rate, n, 8000.0) + _tone(7500.0, rate, n, 5000.0, float(c))
             + _tone(7900.0, rate, n, 3000.0)
             + 2000.0 * np.sin(2.0 * np.pi * (6000.0 * t + 1000.0 * t * t / seconds))
             + 0.03 * lcg_noise(n, 17 + c))
        channels.append(_int16(x))
    return np.stack(channels, axis=1)


def stereo_tones(rate: int, seconds: float) -> np.ndarray:
    """int16 [n, 2]: channel 0 = round(9000 sin(2 pi 7500 t)), channel 1 = round(9000 sin(2 pi 7900 t)), t = n / rate.

    No noise floor: the bands between and below the tones are digitally silent in the official features.
    """
    n = int(round(rate * seconds))
    t = np.arange(n) / rate
    return _int16(np.stack([9000 * np.sin(2 * np.pi * 7500 * t), 9000 * np.sin(2 * np.pi * 7900 * t)], axis=1))


def official_patches(pcm: np.ndarray, rate: int, frames: int) -> np.ndarray:
    """``wavfile_to_examples`` per second (spec §2.3): float64 [frames, 96, 64]."""
    mono = official_mono(pcm)
    out = np.zeros((frames, mel.PATCH_FRAMES, mel.NUM_MEL_BINS))
    for i in range(frames):
        second = mono[i * rate:(i + 1) * rate]
        if second.shape[0] * 16000 // rate < 1:
            continue  # resampy raises on an empty output; the official run would crash here
        y = resampy.resample(second, rate, 16000) if rate != 16000 else second
        out[i] = mel.patch_for_window(y)
    return out


def cases(rate: int):
    n = int(round(rate * SECONDS))
    high = (7500.0, 7900.0) if rate > 16000 else (3900.0, 3990.0)
    rng = np.random.default_rng(rate)
    yield f"mono-tone{int(high[0])}", _int16(_tone(high[0], rate, n, 16000.0))
    yield f"mono-tone{int(high[1])}", _int16(_tone(high[1], rate, n, 16000.0))
    yield "mono-tone1000", _int16(_tone(1000.0, rate, n, 12000.0, 0.3))
    yield "stereo-noise", _int16(rng.normal(0.0, 6000.0, size=(n, 2)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="src/test/resources/parity/resample")
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    for rate in RATES:
        for name, pcm in cases(rate):
            y = resampy.resample(official_mono(pcm), rate, 16000)
            np.save(os.path.join(args.out, f"{rate}-{name}.in.npy"), pcm)
            np.save(os.path.join(args.out, f"{rate}-{name}.out.npy"), y)
    for rate in (44100, 48000):
        patches = official_patches(stereo_mix(rate, 2.4), rate, 3)
        np.save(os.path.join(args.out, f"e2e-{rate}.mel.npy"), patches.astype(np.float32))
        tones = official_patches(stereo_tones(rate, 2.4), rate, 3)
        np.save(os.path.join(args.out, f"e2e-tones-{rate}.mel.npy"), tones.astype(np.float32))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
