"""Hearing benchmark: seeded audio-visual videos in AVISeg format, where only listening tells sounding from silent.

``python3 -m acvis.data.avbench --out build/avbench --seed 0 [--train 160 --val 16 --test 32 --test-seed 1000]``

Nine categories, each with a visual identity (shape, colour, texture) and a sound identity:

=========  ===============================  ==============================================================
category   looks                            sounds
=========  ===============================  ==============================================================
person     red disc                         speech: espeak-ng (voice, pitch, speed per instance) and the
                                            spoken recordings of sound-theme-freedesktop when installed
violin     orange tall ellipse, h-stripes   bowed saw-tooth notes with vibrato (350-800 Hz)
guzheng    green star, v-stripes            chimes: sound-theme-freedesktop samples (bell, complete, ...),
                                            pitch-shifted; synthesised bell partials without the package
piano      white square with dark keys      decaying struck harmonic notes
flute      cyan bar                         breathy near-sine notes (600-1300 Hz)
cat        grey triangle, dots              meows: up/down FM sweeps with harmonics
car        blue wide box, checker           engine: low pulse train (40-90 Hz) + rumble
dog        brown diamond                    barks: short formant noise/harmonic bursts
trumpet    yellow hexagon, h-stripes        bright brass notes (250-520 Hz)
=========  ===============================  ==============================================================

Every instance varies pitch/timbre/loudness. Every object *pulses* (size and brightness) with its own
slow envelope; a sounding object's sound is amplitude-modulated by that same envelope, a silent object
pulses without sound, so pulsing alone does not tell sounding objects apart. Objects move (bouncing),
occlude each other (later ones in front), some enter late. Sounding status is per second (20 ms ramps
at the boundaries), with onsets and offsets. Videos mix 0, 1, 2 and 3+ simultaneous sources, whole-video
silent distractors, and same-category twin pairs of which at most one sounds at a time (the pulse that
follows the loudness tells which).

Written per split (AVISeg layout, ``aviseg-data-and-metrics.md`` §1.1-1.4, frames at 1 fps):

* ``<split>.json``: videos / annotations (one track per object that sounds at least once while visible;
  ``segmentations`` = list of one uncompressed RLE on frames where it sounds and is visible, else
  ``null``; ``bboxes``, ``areas``) / the 26 AVISeg categories;
* ``<split>/JPEGImages/<video>/<n>.jpg``, ``<split>/WAVAudios/<video>.wav`` (16 kHz stereo int16),
  ``<split>/MELAudios/<video>.npy`` (``acvis.mel.video_patches``), ``<split>/num_ins_CSVs/<video>.csv``;
* ``<split>/MP4/<video>.mp4``: the same scene at ``--fps`` (default 25), upscaled ``--mp4-scale`` x
  (nearest, default 4: 640x360), H.264 + AAC 48 kHz stereo;
* ``<split>/schedules/<video>.json``: every object (sounding or silent), its role, per-second
  sounding/visible flags, onset/offset times, boxes per annotated frame (JPEG pixels) and per mp4 frame
  (mp4 pixels), and the annotation id of its GT track;
* ``<split>/ObjectMasks/<video>.npz``: ``masks`` uint8 [objects, T, H, W], the visible mask of every
  object at the annotated frames (for the silent-distractor metric of ``acvis.evaluation``).

Every byte is a function of the seeds (``--seed`` for train/val, ``--test-seed`` for test), the
espeak-ng and sound-theme versions, and the ffmpeg build (mp4 only).
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import math
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from scipy.io import wavfile
from scipy.signal import lfilter, resample_poly

from acvis import mel
from acvis.data.dataset import CODEC_MELS
from acvis.data.rle import encode
from acvis.data.synthetic import AVISEG_CATEGORIES

SR = 16000
FREEDESKTOP = Path("/usr/share/sounds/freedesktop/stereo")
SPOKEN = ("audio-channel-front-left", "audio-channel-front-right", "audio-channel-front-center",
          "audio-channel-rear-left", "audio-channel-rear-right", "audio-channel-side-left",
          "audio-channel-side-right", "audio-channel-rear-center")
CHIMES = ("bell", "complete", "message", "dialog-information", "service-login", "message-new-instant",
          "window-attention", "device-added")
PHRASES = ("the quick brown fox jumps over the lazy dog", "hello there, can you hear me now",
           "one two three four five six seven", "please listen carefully to this message",
           "sounding objects make noise, silent ones do not", "good evening and welcome to the show",
           "where is the music coming from", "testing the microphone, check check")
VOICES = ("en+m1", "en+m3", "en+m7", "en+f2", "en+f4", "en-us+m2", "en-us+f3", "en+klatt")


@dataclass(frozen=True)
class Category:
    category_id: int  # AVISeg dataset id (aviseg-data-and-metrics.md §1.3)
    shape: str
    colour: tuple[int, int, int]
    texture: str      # solid | hstripes | vstripes | checker | dots | keys
    aspect: float     # width / height of the shape's box
    sound: str

    @property
    def name(self) -> str:
        return AVISEG_CATEGORIES[self.category_id - 1]


CATEGORIES = (
    Category(1, "disc", (215, 45, 40), "solid", 1.0, "speech"),
    Category(2, "ellipse", (240, 140, 30), "hstripes", 0.6, "bowed"),
    Category(9, "star", (40, 170, 70), "vstripes", 1.0, "chime"),
    Category(6, "box", (235, 235, 225), "keys", 1.0, "struck"),
    Category(5, "box", (40, 200, 220), "solid", 3.0, "breath"),
    Category(11, "triangle", (150, 140, 130), "dots", 1.1, "meow"),
    Category(12, "box", (45, 70, 210), "checker", 2.0, "engine"),
    Category(14, "diamond", (135, 80, 35), "solid", 1.0, "bark"),
    Category(22, "hexagon", (240, 210, 40), "hstripes", 1.0, "brass"),
)


# ------------------------------------------------------------------------------------------ sounds

def _run_quiet(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@functools.lru_cache(maxsize=None)
def _decode_file(path: str) -> np.ndarray:
    """Any audio file -> float64 mono 16 kHz (ffmpeg)."""
    out = subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", path, "-ac", "1", "-ar", str(SR),
                          "-f", "f32le", "-"], check=True, stdout=subprocess.PIPE).stdout
    x = np.frombuffer(out, dtype=np.float32).astype(np.float64)
    return x / max(1e-9, np.abs(x).max())


@functools.lru_cache(maxsize=None)
def _espeak(voice: str, pitch: int, speed: int, text: str) -> np.ndarray:
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "s.wav"
        _run_quiet(["espeak-ng", "-v", voice, "-p", str(pitch), "-s", str(speed), "-w", str(wav), text])
        sr, data = wavfile.read(wav)
    x = mel.to_mono(data) if data.dtype == np.int16 else data.astype(np.float64)
    x = resample_poly(x, SR, sr) if sr != SR else x
    return x / max(1e-9, np.abs(x).max())


def have_espeak() -> bool:
    return shutil.which("espeak-ng") is not None


def _available(names) -> list[Path]:
    return [FREEDESKTOP / f"{n}.oga" for n in names if (FREEDESKTOP / f"{n}.oga").is_file()]


def _loop(clips: list[np.ndarray], n: int, rng: np.random.Generator, gap=(0.03, 0.15)) -> np.ndarray:
    """Concatenate clips (cycling) with short random gaps until ``n`` samples, from a random start."""
    out, total = [], 0
    k = int(rng.integers(len(clips)))
    while total < n + SR:
        c = clips[k % len(clips)]
        out.append(c)
        g = np.zeros(int(rng.uniform(*gap) * SR))
        out.append(g)
        total += c.size + g.size
        k += 1
    x = np.concatenate(out)
    start = int(rng.integers(0, max(1, x.size - n)))
    return x[start:start + n]


def _notes(n: int, rng: np.random.Generator, lo: float, hi: float, dur=(0.25, 0.8)):
    """Piecewise-constant f0 [n] (a random melody inside [lo, hi]) and the note start sample indices."""
    f0, starts, i = np.zeros(n), [], 0
    while i < n:
        d = int(rng.uniform(*dur) * SR)
        f0[i:i + d] = rng.uniform(lo, hi)
        starts.append(i)
        i += d
    return f0, starts


def _harmonic(f0: np.ndarray, amps, vibrato_hz: float = 0.0, vibrato_depth: float = 0.0,
              rng: np.random.Generator | None = None) -> np.ndarray:
    t = np.arange(f0.size) / SR
    f = f0 * (1.0 + vibrato_depth * np.sin(2 * np.pi * vibrato_hz * t))
    phase = 2 * np.pi * np.cumsum(f) / SR
    out = np.zeros(f0.size)
    for k, a in enumerate(amps, start=1):
        ok = f * k < SR / 2 - 200
        out += a * np.sin(k * phase + (rng.uniform(0, 2 * np.pi) if rng is not None else 0.0)) * ok
    return out


def _note_envelope(n: int, starts: list[int], attack: float, decay: float | None) -> np.ndarray:
    env = np.zeros(n)
    bounds = list(starts) + [n]
    for s, e in zip(bounds[:-1], bounds[1:]):
        t = np.arange(e - s) / SR
        a = np.minimum(1.0, t / attack)
        env[s:e] = a * (np.exp(-t / decay) if decay else 1.0)
        r = min(e - s, int(0.02 * SR))
        env[e - r:e] *= np.linspace(1, 0, r)  # release
    return env


def _bandpass_noise(n: int, rng: np.random.Generator, centre: float, q: float = 4.0) -> np.ndarray:
    w = 2 * np.pi * centre / SR
    r = math.exp(-w / (2 * q))
    b, a = [1 - r], [1, -2 * r * math.cos(w), r * r]
    return lfilter(b, a, rng.normal(0, 1, n))


def synth_sound(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` samples of a category's sound (16 kHz), unit RMS; instance variation drawn from ``rng``."""
    t = np.arange(n) / SR
    if kind == "speech":
        spoken = _available(SPOKEN)
        if spoken and (not have_espeak() or rng.random() < 0.35):
            shift = rng.uniform(0.85, 1.18)
            clips = [_pitch(_decode_file(str(p)), shift) for p in rng.permutation(spoken)[:4]]
        elif have_espeak():
            voice = VOICES[int(rng.integers(len(VOICES)))]
            pitch, speed = int(rng.integers(25, 80)), int(rng.integers(140, 200))
            clips = [_espeak(voice, pitch, speed, PHRASES[int(i)]) for i in rng.permutation(len(PHRASES))[:2]]
        else:  # vowel-like formant buzz (fallback without espeak-ng / sound theme)
            f0, _ = _notes(n, rng, 100, 220, (0.15, 0.4))
            clips = [_harmonic(f0, [1 / k for k in range(1, 20)]) * (0.6 + 0.4 * np.sin(2 * np.pi * 4 * t))]
        x = _loop(clips, n, rng, gap=(0.02, 0.08))
    elif kind == "chime":
        chimes = _available(CHIMES)
        if chimes:
            shift = rng.uniform(0.8, 1.25)
            clips = [_pitch(_decode_file(str(p)), shift) for p in rng.permutation(chimes)[:3]]
            x = _loop(clips, n, rng, gap=(0.0, 0.1))
        else:
            f0, starts = _notes(n, rng, 600, 1500, (0.3, 0.6))
            x = _harmonic(f0, [1, 0, 0.5, 0, 0.3, 0.2]) * _note_envelope(n, starts, 0.003, 0.25)
    elif kind == "bowed":
        f0, starts = _notes(n, rng, 350 * rng.uniform(0.9, 1.1), 800, (0.3, 0.9))
        amps = [rng.uniform(0.6, 1.0) / k for k in range(1, 12)]
        x = _harmonic(f0, amps, rng.uniform(4.5, 6.5), rng.uniform(0.005, 0.015), rng)
        x *= _note_envelope(n, starts, 0.06, None)
    elif kind == "struck":
        f0, starts = _notes(n, rng, 180, 620, (0.18, 0.45))
        amps = [rng.uniform(0.5, 1.0) / k ** 1.5 for k in range(1, 9)]
        x = _harmonic(f0, amps, rng=rng) * _note_envelope(n, starts, 0.004, rng.uniform(0.12, 0.3))
    elif kind == "breath":
        f0, starts = _notes(n, rng, 600, 1300, (0.3, 0.8))
        x = _harmonic(f0, [1.0, rng.uniform(0.05, 0.2), 0.03], rng.uniform(4, 6), 0.004, rng)
        x = x + rng.uniform(0.05, 0.15) * _bandpass_noise(n, rng, 2500, 1.0) / 3
        x *= _note_envelope(n, starts, 0.05, None)
    elif kind == "meow":
        x = np.zeros(n)
        i = int(rng.uniform(0, 0.2) * SR)
        base = rng.uniform(450, 750)
        while i < n:
            d = int(rng.uniform(0.45, 0.8) * SR)
            tt = np.linspace(0, 1, d)
            f = base * (1 + 0.6 * np.sin(np.pi * tt) ** 1.5)
            seg = _harmonic(f, [1, 0.6, 0.35, 0.2, 0.1]) * np.sin(np.pi * tt) ** 0.7
            x[i:i + d] = seg[:n - i]
            i += d + int(rng.uniform(0.05, 0.25) * SR)
    elif kind == "engine":
        f0 = rng.uniform(40, 90) * (1 + 0.08 * np.sin(2 * np.pi * rng.uniform(0.2, 0.6) * t))
        x = _harmonic(f0, [rng.uniform(0.3, 1.0) / k ** 0.7 for k in range(1, 30)], rng=rng)
        rumble = lfilter([0.02], [1, -0.98], rng.normal(0, 1, n))
        x = x / np.sqrt(np.mean(x ** 2)) + 0.8 * rumble / max(1e-9, np.sqrt(np.mean(rumble ** 2)))
    elif kind == "bark":
        x = np.zeros(n)
        i = int(rng.uniform(0, 0.1) * SR)
        centre, f0 = rng.uniform(700, 1400), rng.uniform(280, 480)
        while i < n:
            d = int(rng.uniform(0.1, 0.2) * SR)
            tt = np.arange(d) / SR
            env = np.minimum(1, tt / 0.008) * np.exp(-tt / rng.uniform(0.04, 0.08))
            f = f0 * (1 - 0.3 * tt / tt[-1])
            seg = (0.7 * _bandpass_noise(d, rng, centre, 3.0) / 3 + _harmonic(f, [1, 0.7, 0.5, 0.3])) * env
            x[i:i + d] = seg[:n - i]
            i += d + int(rng.uniform(0.06, 0.3) * SR)
    elif kind == "brass":
        f0, starts = _notes(n, rng, 250, 520, (0.25, 0.7))
        x = _harmonic(f0, [rng.uniform(0.7, 1.0) / k ** 0.5 for k in range(1, 14)], 5.0, 0.003, rng)
        x = np.tanh(1.5 * x / np.abs(x).max()) * _note_envelope(n, starts, 0.03, None)
    else:
        raise ValueError(f"unknown sound {kind}")
    return x / max(1e-9, float(np.sqrt(np.mean(x ** 2))))


def _pitch(x: np.ndarray, factor: float) -> np.ndarray:
    """Pitch/speed shift by resampling (factor > 1: higher, shorter)."""
    up, down = 100, int(round(100 * factor))
    return resample_poly(x, up, down)


# ------------------------------------------------------------------------------------------ scene

def _reflect(x: float, lo: float, hi: float) -> float:
    """Position of a point moving freely on a line, bounced between lo and hi (triangle wave)."""
    if hi <= lo:
        return lo
    span = hi - lo
    y = (x - lo) % (2 * span)
    return lo + (y if y <= span else 2 * span - y)


@dataclass
class SceneObject:
    object_id: int
    cat: Category
    size: float          # half-height in base pixels
    p0: np.ndarray       # start position (x, y)
    vel: np.ndarray      # pixels per second
    pulse: tuple         # (f1, phi1, f2, phi2)
    shade: float
    enter: int           # first visible second
    sounding: np.ndarray  # [T] bool per second
    loudness: float
    role: str = "source"
    twin_of: int | None = None

    def envelope(self, t):
        f1, p1, f2, p2 = self.pulse
        return np.clip(0.5 + 0.35 * np.sin(2 * np.pi * f1 * t + p1) + 0.15 * np.sin(2 * np.pi * f2 * t + p2), 0, 1)

    def state(self, t: float, w: int, h: int):
        """(cx, cy, half-height, brightness) at time ``t`` seconds."""
        e = float(self.envelope(t))
        hh = self.size * (0.86 + 0.28 * e)
        hw = hh * self.cat.aspect
        cx = _reflect(self.p0[0] + self.vel[0] * t, hw, w - hw)
        cy = _reflect(self.p0[1] + self.vel[1] * t, hh, h - hh)
        return cx, cy, hh, 0.62 + 0.38 * e


def _polygon(shape: str, cx: float, cy: float, hh: float, hw: float) -> np.ndarray | None:
    if shape == "box":
        pts = [(-1, -1), (1, -1), (1, 1), (-1, 1)]
    elif shape == "triangle":
        pts = [(0, -1), (1, 1), (-1, 1)]
    elif shape == "diamond":
        pts = [(0, -1), (1, 0), (0, 1), (-1, 0)]
    elif shape == "hexagon":
        pts = [(math.cos(a), math.sin(a)) for a in np.arange(6) * np.pi / 3]
    elif shape == "star":
        pts = [((1.0 if k % 2 == 0 else 0.45) * math.sin(k * np.pi / 5), -(1.0 if k % 2 == 0 else 0.45)
                * math.cos(k * np.pi / 5)) for k in range(10)]
    else:
        return None
    return np.round(np.array([(cx + x * hw, cy + y * hh) for x, y in pts]) * 16).astype(np.int32)


def _shape_mask(cat: Category, cx: float, cy: float, hh: float, h: int, w: int) -> np.ndarray:
    m = np.zeros((h, w), dtype=np.uint8)
    hw = hh * cat.aspect
    if cat.shape in ("disc", "ellipse"):
        cv2.ellipse(m, (int(round(cx * 16)), int(round(cy * 16))), (int(round(hw * 16)), int(round(hh * 16))),
                    0, 0, 360, 1, thickness=-1, shift=4)
    else:
        cv2.fillPoly(m, [_polygon(cat.shape, cx, cy, hh, hw)], 1, shift=4)
    return m


def _texture(cat: Category, cx: float, cy: float, hh: float, h: int, w: int) -> np.ndarray:
    """Per-pixel shade factor [h, w] of the category's texture, anchored at the object (moves with it)."""
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float64)
    u, v = xs - cx, ys - cy
    period = max(3.0, hh / 2.2)
    if cat.texture == "hstripes":
        return np.where(np.floor(v / period * 2) % 2 == 0, 1.0, 0.55)
    if cat.texture == "vstripes":
        return np.where(np.floor(u / period * 2) % 2 == 0, 1.0, 0.5)
    if cat.texture == "checker":
        return np.where((np.floor(u / period) + np.floor(v / period)) % 2 == 0, 1.0, 0.55)
    if cat.texture == "dots":
        return np.where(((u % period) - period / 2) ** 2 + ((v % period) - period / 2) ** 2 < (period / 3.2) ** 2,
                        0.35, 1.0)
    if cat.texture == "keys":
        return np.where((np.floor(u / max(2.0, hh / 3)) % 2 == 0) & (v < hh * 0.25), 0.15, 1.0)
    return np.ones((h, w))


class Scene:
    """A video: background, objects and sound, renderable at any time ``t`` (seconds)."""

    def __init__(self, rng: np.random.Generator, length: int, h: int, w: int, objects: list[SceneObject]):
        self.length, self.h, self.w, self.objects = length, h, w, objects
        base = rng.integers(40, 140, size=3).astype(np.float64)
        tilt = rng.uniform(-30, 30, size=3)
        ramp = np.linspace(-1, 1, w)[None, :, None] * tilt[None, None, :]
        vramp = np.linspace(-1, 1, h)[:, None, None] * rng.uniform(-15, 15)
        self.background = np.clip(base + ramp + vramp + rng.normal(0, 3.0, size=(h, w, 3)), 0, 255)
        # sensor noise, static over the video (a fresh pattern per frame would dominate the mp4 bit rate)
        self.noise = np.random.default_rng(int(rng.integers(2 ** 31))).normal(0, 2.0, size=(h, w, 3))

    def visible_at(self, o: SceneObject, t: float) -> bool:
        return t >= o.enter

    def render(self, t: float):
        """RGB uint8 [h, w, 3] and visible masks [objects, h, w] uint8 at time ``t``."""
        image = self.background.copy()
        drawn = []
        for o in self.objects:
            if not self.visible_at(o, t):
                drawn.append(np.zeros((self.h, self.w), np.uint8))
                continue
            cx, cy, hh, bright = o.state(t, self.w, self.h)
            m = _shape_mask(o.cat, cx, cy, hh, self.h, self.w)
            tex = _texture(o.cat, cx, cy, hh, self.h, self.w)
            colour = np.array(o.cat.colour, dtype=np.float64) * o.shade * bright
            sel = m > 0
            image[sel] = np.clip(colour[None, :] * tex[sel][:, None], 0, 255)
            drawn.append(m)
        masks = np.zeros((len(self.objects), self.h, self.w), np.uint8)
        cover = np.zeros((self.h, self.w), np.uint8)
        for k in range(len(self.objects) - 1, -1, -1):  # later objects are in front
            masks[k] = drawn[k] & (1 - cover)
            cover |= drawn[k]
        return np.clip(image + self.noise, 0, 255).astype(np.uint8), masks

    def audio(self, rng: np.random.Generator) -> np.ndarray:
        """Stereo int16 [length*SR, 2]: every object's sound x its pulse envelope x its per-second gate."""
        n = self.length * SR
        t = np.arange(n) / SR
        mix = rng.normal(0.0, 0.004, n)
        ramp = int(0.02 * SR)
        for o in self.objects:
            src = synth_sound(o.cat.sound, n, rng)  # drawn for every object, so schedules don't shift sounds
            if not o.sounding.any():
                continue
            gate = np.repeat(o.sounding.astype(np.float64), SR)
            # 20 ms linear ramps inside the sounding seconds
            kernel = np.ones(ramp) / ramp
            gate = np.minimum(gate, np.convolve(gate, kernel, mode="same"))
            amp = 0.3 + 0.7 * o.envelope(t)
            mix += 0.07 * o.loudness * src * amp * gate
        peak = float(np.abs(mix).max())
        if peak > 0.95:  # a limiter for loud mixtures of 3+ sources
            mix *= 0.95 / peak
        mix = np.clip(mix, -1.0, 1.0 - 1.0 / 32768)
        pcm = np.round(mix * 32767).astype(np.int16)
        return np.stack([pcm, pcm], axis=1)


def _markov(length: int, rng: np.random.Generator, p_on: float = 0.55, p_switch: float = 0.3) -> np.ndarray:
    on = np.zeros(length, dtype=bool)
    state = rng.random() < p_on
    for t in range(length):
        on[t] = state
        if rng.random() < p_switch:
            state = not state
    return on


def make_scene(rng: np.random.Generator, length: int, h: int, w: int) -> Scene:
    """Draw one scenario: 2-5 objects, optional same-category twins, silent distractors, late entries."""
    n_obj = int(rng.choice([2, 3, 3, 4, 4, 5]))
    cats = [CATEGORIES[int(i)] for i in rng.choice(len(CATEGORIES), size=n_obj, replace=False)]
    twin = n_obj >= 2 and rng.random() < 0.4
    if twin:
        cats[1] = cats[0]
    objects = []
    for k, cat in enumerate(cats):
        size = float(rng.uniform(0.11, 0.19) * h)
        hw = size * cat.aspect
        if hw > 0.3 * w:
            size = 0.3 * w / cat.aspect
        speed = rng.uniform(4, 22)
        ang = rng.uniform(0, 2 * np.pi)
        objects.append(SceneObject(
            object_id=k, cat=cat, size=size,
            p0=np.array([rng.uniform(0, w), rng.uniform(0, h)]), vel=speed * np.array([np.cos(ang), np.sin(ang)]),
            pulse=(rng.uniform(0.35, 1.1), rng.uniform(0, 2 * np.pi), rng.uniform(1.3, 2.5), rng.uniform(0, 2 * np.pi)),
            shade=float(rng.uniform(0.85, 1.1)), enter=0, sounding=np.zeros(length, bool),
            loudness=float(rng.uniform(0.7, 1.3))))
    # late entries (never the first object)
    for o in objects[1:]:
        if rng.random() < 0.15:
            o.enter = int(rng.integers(1, max(2, length - 2)))
    # sounding schedules
    silent_budget = rng.random()
    for o in objects:
        o.sounding = _markov(length, rng)
    if twin:
        a, b = objects[0], objects[1]
        a.role, b.role, a.twin_of, b.twin_of = "twin", "twin", 1, 0
        if rng.random() < 0.35:  # alternate: never both at once
            b.sounding = b.sounding & ~a.sounding
        else:
            b.sounding[:] = False
    # whole-video silent distractors: each non-twin object with p 0.3, at least one in half the videos
    free = [o for o in objects if o.role == "source"]
    for o in free:
        if rng.random() < 0.3:
            o.sounding[:] = False
    if free and silent_budget < 0.5 and all(o.sounding.any() for o in free):
        free[int(rng.integers(len(free)))].sounding[:] = False
    for o in objects:
        o.sounding[:o.enter] = False
    if rng.random() < 0.3:  # a silent first second
        for o in objects:
            o.sounding[0] = False
    for o in objects:
        if not o.sounding.any():
            o.role = "twin_silent" if o.role == "twin" else "silent"
        elif o.role == "twin":
            o.role = "twin_source"
    return Scene(rng, length, h, w, objects)


# ------------------------------------------------------------------------------------------ writing

def _box(m: np.ndarray, scale: int = 1):
    ys, xs = np.nonzero(m)
    if ys.size == 0:
        return None
    return [int(xs.min()) * scale, int(ys.min()) * scale, int(xs.max() - xs.min() + 1) * scale,
            int(ys.max() - ys.min() + 1) * scale]


def _onsets(flags: np.ndarray):
    on, off, prev = [], [], False
    for t, f in enumerate(flags.tolist()):
        if f and not prev:
            on.append(float(t))
        if prev and not f:
            off.append(float(t))
        prev = f
    if prev:
        off.append(float(len(flags)))
    return on, off


def write_mp4(path: Path, scene: Scene, pcm: np.ndarray, fps: int, scale: int, *, bitexact: bool = False,
              preset: str = "veryfast", crf: int = 26) -> list[list]:
    """Render ``scene`` at ``fps`` (nearest upscaling x ``scale``), mux with ``pcm`` (AAC 48 kHz stereo).

    Returns per mp4 frame the boxes of every object (mp4 pixels, ``None`` when not visible)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    w, h = scene.w * scale, scene.h * scale
    boxes = []
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "a.wav"
        wavfile.write(wav, SR, pcm)
        cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
               "-s", f"{w}x{h}", "-r", str(fps), "-i", "-", "-i", str(wav), "-map", "0:v", "-map", "1:a",
               "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p", "-g", str(2 * fps),
               "-threads", "1", "-c:a", "aac", "-b:a", "64k", "-ar", "48000", "-ac", "2"]
        if bitexact:
            cmd += ["-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact", "-map_metadata", "-1"]
        cmd += ["-movflags", "+faststart", "-t", str(scene.length), str(path)]
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
        try:
            for i in range(scene.length * fps):
                t = i / fps
                image, masks = scene.render(t)
                boxes.append([_box(m, scale) for m in masks])
                if scale > 1:
                    image = np.repeat(np.repeat(image, scale, axis=0), scale, axis=1)
                proc.stdin.write(np.ascontiguousarray(image).tobytes())
        finally:
            proc.stdin.close()
            if proc.wait() != 0:
                raise RuntimeError(f"ffmpeg failed for {path}")
    return boxes


def write_video(out: Path, split: str, name: str, video_id: int, rng: np.random.Generator, *, length: int,
                height: int, width: int, fps: int, mp4_scale: int, mp4: bool, first_ann_id: int,
                bitexact: bool = False, scene: Scene | None = None):
    """Write one video's files; returns ``(video_entry, annotations, schedule)``."""
    scene = scene or make_scene(rng, length, height, width)
    pcm = scene.audio(rng)
    frames, masks = [], []
    for t in range(length):
        image, m = scene.render(float(t))
        frames.append(image)
        masks.append(m)
    masks = np.stack(masks, axis=1)  # [O, T, h, w]
    frame_dir = out / split / "JPEGImages" / name
    frame_dir.mkdir(parents=True, exist_ok=True)
    file_names = []
    for t, frame in enumerate(frames):
        cv2.imwrite(str(frame_dir / f"{t:05d}.jpg"), cv2.cvtColor(frame, cv2.COLOR_RGB2BGR),
                    [cv2.IMWRITE_JPEG_QUALITY, 95])
        file_names.append(f"{name}/{t:05d}.jpg")
    for sub in ("WAVAudios", "MELAudios", "num_ins_CSVs", "schedules", "ObjectMasks"):
        (out / split / sub).mkdir(parents=True, exist_ok=True)
    wavfile.write(out / split / "WAVAudios" / f"{name}.wav", SR, pcm)
    np.save(out / split / "MELAudios" / f"{name}.npy", mel.video_patches(pcm, SR, length))
    np.savez_compressed(out / split / "ObjectMasks" / f"{name}.npz", masks=masks)
    counts = np.zeros(length, dtype=np.int64)
    annotations, sched_objects = [], []
    ann_id = first_ann_id
    for k, o in enumerate(scene.objects):
        visible = masks[k].reshape(length, -1).sum(1) > 0
        annotated = o.sounding & visible
        this_ann = None
        if annotated.any():
            segs, boxes, areas = [], [], []
            for t in range(length):
                if not annotated[t]:
                    segs.append(None), boxes.append(None), areas.append(None)
                    continue
                segs.append([encode(masks[k, t])])
                boxes.append(_box(masks[k, t]))
                areas.append(int(masks[k, t].sum()))
            counts += annotated
            annotations.append({"id": ann_id, "video_id": video_id, "category_id": o.cat.category_id, "iscrowd": 0,
                                "height": height, "width": width, "length": length, "segmentations": segs,
                                "bboxes": boxes, "areas": areas})
            this_ann = ann_id
            ann_id += 1
        on, off = _onsets(o.sounding)
        sched_objects.append({
            "object_id": o.object_id, "category_id": o.cat.category_id, "category": o.cat.name,
            "shape": o.cat.shape, "texture": o.cat.texture, "colour": list(o.cat.colour), "sound": o.cat.sound,
            "role": o.role, "twin_of": o.twin_of, "annotation_id": this_ann, "enter_s": o.enter,
            "sounding": o.sounding.astype(int).tolist(), "visible": visible.astype(int).tolist(),
            "annotated": annotated.astype(int).tolist(), "onsets_s": on, "offsets_s": off,
            "boxes": [_box(masks[k, t]) for t in range(length)]})
    with (out / split / "num_ins_CSVs" / f"{name}.csv").open("w") as f:
        f.write("instance_cnt\n" + "".join(f"{c}\n" for c in counts))
    schedule = {"video": name, "video_id": video_id, "split": split, "length_s": length, "annotated_fps": 1,
                "width": width, "height": height, "sample_rate": SR, "counts": counts.tolist(),
                "objects": sched_objects,
                "notes": "sounding/visible/annotated are per second t (frame t, audio [t, t+1)); boxes [x,y,w,h] "
                         "of the visible part in JPEG pixels per annotated frame; mp4.boxes per mp4 frame in mp4 "
                         "pixels, frame i at i/fps seconds"}
    if mp4:
        mp4_path = out / split / "MP4" / f"{name}.mp4"
        boxes = write_mp4(mp4_path, scene, pcm, fps, mp4_scale, bitexact=bitexact)
        schedule["mp4"] = {"file": f"MP4/{name}.mp4", "fps": fps, "width": width * mp4_scale,
                           "height": height * mp4_scale, "scale": mp4_scale,
                           "boxes": [[b[k] for b in boxes] for k in range(len(scene.objects))]}
    (out / split / "schedules" / f"{name}.json").write_text(json.dumps(schedule))
    video = {"id": video_id, "file_names": file_names, "height": height, "width": width, "length": length}
    return video, annotations, schedule


def write_split(out: Path, split: str, num_videos: int, seed: int, *, height: int, width: int, min_len: int,
                max_len: int, fps: int, mp4_scale: int, mp4: bool, first_video_id: int) -> dict:
    videos, annotations = [], []
    ann_id = first_video_id * 100 + 1
    for v in range(num_videos):
        rng = np.random.default_rng([seed, v])
        length = int(rng.integers(min_len, max_len + 1))
        name = f"avb_{split}_{v:04d}"
        video, anns, _ = write_video(out, split, name, first_video_id + v, rng, length=length, height=height,
                                     width=width, fps=fps, mp4_scale=mp4_scale, mp4=mp4, first_ann_id=ann_id)
        ann_id += len(anns)
        videos.append(video)
        annotations.extend(anns)
    data = {"videos": videos, "annotations": annotations,
            "categories": [{"id": i + 1, "name": n} for i, n in enumerate(AVISEG_CATEGORIES)]}
    (out / f"{split}.json").write_text(json.dumps(data))
    return data


SPLITS = {"train": (0, 1), "val": (1, 5001), "test": (None, 10001)}  # seed offset, first video id


def generate(out: str | Path, *, seed: int = 0, test_seed: int = 1000, train: int = 160, val: int = 16,
             test: int = 32, height: int = 90, width: int = 160, min_len: int = 6, max_len: int = 10, fps: int = 25,
             mp4_scale: int = 4, mp4_splits: tuple[str, ...] = ("train", "val", "test")) -> Path:
    """Write ``train``/``val`` (from ``seed``) and ``test`` (from ``test_seed``) under ``out``."""
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    common = dict(height=height, width=width, min_len=min_len, max_len=max_len, fps=fps, mp4_scale=mp4_scale)
    for split, n, s in (("train", train, [seed, 0]), ("val", val, [seed, 1]), ("test", test, [test_seed, 2])):
        if n > 0:
            split_seed = int(np.random.default_rng(s).integers(2 ** 31))
            write_split(root, split, n, split_seed, mp4=split in mp4_splits, first_video_id=SPLITS[split][1],
                        **common)
    (root / "avbench.json").write_text(json.dumps({
        "generator": "acvis.data.avbench", "seed": seed, "test_seed": test_seed, "train": train, "val": val,
        "test": test, "height": height, "width": width, "min_len": min_len, "max_len": max_len, "fps": fps,
        "mp4_scale": mp4_scale, "mp4_splits": list(mp4_splits), "espeak_ng": have_espeak(),
        "sound_theme": bool(_available(CHIMES)),
        "categories": [{"id": c.category_id, "name": c.name, "shape": c.shape, "texture": c.texture,
                        "sound": c.sound} for c in CATEGORIES]}, indent=1))
    return root


def _demo_ok(scene: Scene) -> bool:
    """The demo clip's scenario: 3-4 objects, a silent first second, a whole-video silent distractor, at least
    two onsets and two offsets inside the clip, and a moment with two sources at once."""
    objs = scene.objects
    sounding = np.array([o.sounding for o in objs])
    onsets = sum(len(_onsets(o.sounding)[0]) for o in objs)
    offsets = sum(1 for o in objs for x in _onsets(o.sounding)[1] if x < scene.length)
    return (3 <= len(objs) <= 4 and not sounding[:, 0].any() and any(not o.sounding.any() for o in objs)
            and onsets >= 2 and offsets >= 2 and sounding.sum(0).max() >= 2 and all(o.enter == 0 for o in objs))


def write_demo(out: str | Path, seed: int = 2026, length: int = 10, height: int = 90, width: int = 160,
               fps: int = 25, mp4_scale: int = 4) -> dict:
    """The bundled demo clip: the first scene drawn from ``[seed, attempt]`` that passes :func:`_demo_ok`, written
    as a one-video AVISeg split ``demo`` under ``out`` (``out/demo/MP4/avis-demo.mp4`` bit-exact 640x360 25 fps,
    ``out/demo/schedules/avis-demo.json``). Returns the schedule (with ``attempt``)."""
    root = Path(out)
    for attempt in range(1000):
        rng = np.random.default_rng([seed, attempt])
        scene = make_scene(rng, length, height, width)
        if _demo_ok(scene):
            break
    else:
        raise RuntimeError("no demo scene found")
    video, anns, schedule = write_video(root, "demo", "avis-demo", 1, rng, length=length, height=height, width=width,
                                        fps=fps, mp4_scale=mp4_scale, mp4=True, first_ann_id=1, bitexact=True,
                                        scene=scene)
    schedule.update(seed=seed, attempt=attempt, generator="python3 -m acvis.data.avbench --demo-out DIR "
                    f"--demo-seed {seed}")
    (root / "demo" / "schedules" / "avis-demo.json").write_text(json.dumps(schedule))
    (root / "demo.json").write_text(json.dumps({
        "videos": [video], "annotations": anns,
        "categories": [{"id": i + 1, "name": n} for i, n in enumerate(AVISEG_CATEGORIES)]}))
    return schedule


def codec_mel(wav_path: Path, length: int) -> np.ndarray:
    """The log-mel patches of a video's audio after the mp4's codec (AAC 64 kb/s, 48 kHz stereo, as
    :func:`write_mp4`): what a live feed of the video hands the service. Decoded at the codec's own rate and
    channels, then made mono and 16 kHz by :func:`acvis.mel.video_patches` as the service's MediaReader does
    (ffmpeg's own ``-ac 1`` downmix of float audio would be 3 dB louder than the channel mean)."""
    rate = 48000
    with tempfile.TemporaryDirectory() as tmp:
        m4a = Path(tmp) / "a.m4a"
        _run_quiet(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(wav_path), "-c:a", "aac",
                    "-b:a", "64k", "-ar", str(rate), "-ac", "2", "-threads", "1", str(m4a)])
        out = subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", str(m4a), "-f", "f32le", "-"],
                             check=True, stdout=subprocess.PIPE).stdout
    pcm = np.frombuffer(out, dtype=np.float32).astype(np.float64).reshape(-1, 2)
    return mel.video_patches(pcm, rate, length)


def _write_codec_mel(job: tuple[Path, str, int]) -> None:
    split_dir, name, length = job
    np.save(split_dir / CODEC_MELS / f"{name}.npy", codec_mel(split_dir / "WAVAudios" / f"{name}.wav", length))


def write_codec_mels(root: str | Path, split: str, workers: int = 1) -> int:
    """Writes ``<split>/MELAudios_aac/<video>.npy`` (:func:`codec_mel`) for every video of a split, for training
    with codec-degraded audio (``acvis.train --audio-codec``), in ``workers`` processes. Returns the number of
    videos."""
    root = Path(root)
    videos = json.loads((root / f"{split}.json").read_text())["videos"]
    (root / split / CODEC_MELS).mkdir(parents=True, exist_ok=True)
    jobs = [(root / split, v["file_names"][0].split("/")[0], len(v["file_names"])) for v in videos]
    if workers > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pool.map(_write_codec_mel, jobs, chunksize=8)
    else:
        for job in jobs:
            _write_codec_mel(job)
    return len(videos)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Write the hearing benchmark (AVISeg format + mp4 + schedules).")
    parser.add_argument("--out", help="benchmark root")
    parser.add_argument("--demo-out", help="instead: write the demo clip as a one-video split 'demo' here")
    parser.add_argument("--demo-seed", type=int, default=2026)
    parser.add_argument("--seed", type=int, default=0, help="seed of the train and val splits")
    parser.add_argument("--test-seed", type=int, default=1000, help="seed of the held-out test split")
    parser.add_argument("--train", type=int, default=160)
    parser.add_argument("--val", type=int, default=16)
    parser.add_argument("--test", type=int, default=32)
    parser.add_argument("--height", type=int, default=90)
    parser.add_argument("--width", type=int, default=160)
    parser.add_argument("--min-len", type=int, default=6, help="shortest video in seconds (= annotated frames)")
    parser.add_argument("--max-len", type=int, default=10)
    parser.add_argument("--fps", type=int, default=25, help="mp4 frame rate")
    parser.add_argument("--mp4-scale", type=int, default=4, help="mp4 upscaling (nearest); 4: 640x360")
    parser.add_argument("--mp4-splits", default="train,val,test", help="splits that get mp4 files ('' for none)")
    parser.add_argument("--codec-mels", metavar="SPLITS",
                        help="instead: add <split>/MELAudios_aac (the audio after the mp4's AAC) to the benchmark at --out")
    parser.add_argument("--workers", type=int, default=1, help="processes for --codec-mels")
    args = parser.parse_args(argv)
    if args.codec_mels:
        if not args.out:
            parser.error("--codec-mels needs --out")
        for split in args.codec_mels.split(","):
            print(f"{split}: {write_codec_mels(args.out, split, args.workers)} videos -> {args.out}/{split}/{CODEC_MELS}")
        return 0
    if args.demo_out:
        sched = write_demo(args.demo_out, seed=args.demo_seed)
        print(f"wrote the demo clip to {args.demo_out}/demo (seed {args.demo_seed}, attempt {sched['attempt']})")
        return 0
    if not args.out:
        parser.error("--out or --demo-out is required")
    root = generate(args.out, seed=args.seed, test_seed=args.test_seed, train=args.train, val=args.val,
                    test=args.test, height=args.height, width=args.width, min_len=args.min_len,
                    max_len=args.max_len, fps=args.fps, mp4_scale=args.mp4_scale,
                    mp4_splits=tuple(s for s in args.mp4_splits.split(",") if s))
    print(f"wrote the hearing benchmark to {root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
