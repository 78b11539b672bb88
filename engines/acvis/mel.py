"""VGGish-compatible log-mel front end (numpy only), spec ``acvis-spec.md`` §2.3.

This is the Python reference the Java audio front end is checked against, and the function the
synthetic dataset uses to write ``MELAudios/<video>.npy``.

Pipeline for one second of audio (frame ``i`` <-> samples ``[i*sr, (i+1)*sr)``):

1. average channels to mono; if ``sr != 16000`` resample to 16 kHz (see *Resampling* below);
2. frame into 400-sample windows with hop 160, no centring or padding;
3. multiply by a *periodic* Hann window ``0.5 - 0.5*cos(2*pi*n/400)``;
4. ``|rfft(frame, 512)|`` -> 257 magnitude bins (magnitude, not power);
5. project on 64 triangular HTK-mel bands (``mel(f) = 1127*ln(1 + f/700)``), band edges equally
   spaced in mel between 125 Hz and 7500 Hz (66 edge points), bin frequencies
   ``linspace(0, 8000, 257)``, DC weight forced to 0, not area-normalised;
6. ``ln(mel + 0.01)``;
7. frame the (frames, 64) log-mel into 96-frame examples with hop 96; keep the first one.
   A full second gives 98 STFT frames -> one patch covering samples ``[0, 15600)``. A slice with
   fewer than 96 STFT frames (less than 15600 samples) gives an all-zero patch (not ``ln(0.01)``).

Resampling: as the official extractor, ``resampy.resample(x, sr, 16000)`` with its default
``kaiser_best`` filter (Debian ``python3-resampy``), each second on its own, so non-16 kHz input
gives the official features too (the Java service uses its own port of the same filter,
``io.avisstream.avis.audio.SincResampler``, equal to resampy within 1e-12). 16 kHz input goes
through untouched. resampy is imported only when a slice needs resampling.

Where the official code fails we give zeros instead: a mono WAV (the official loader indexes
``[samples, channels]``) is used as is, and a slice too short to give a single 16 kHz sample
(resampy raises there) gives the all-zero patch, like any slice shorter than 15600 samples.

All arithmetic is float64, as in the official numpy code; the ``.npy`` files are float64.
"""

from __future__ import annotations

import math

import numpy as np

SAMPLE_RATE = 16000
WINDOW_LENGTH = 400  # 25 ms at 16 kHz
HOP_LENGTH = 160  # 10 ms at 16 kHz
FFT_LENGTH = 512  # next power of two >= WINDOW_LENGTH
NUM_SPECTROGRAM_BINS = FFT_LENGTH // 2 + 1  # 257
NUM_MEL_BINS = 64
MEL_MIN_HZ = 125.0
MEL_MAX_HZ = 7500.0
LOG_OFFSET = 0.01
PATCH_FRAMES = 96  # 0.96 s of 10 ms frames
PATCH_SAMPLES = (PATCH_FRAMES - 1) * HOP_LENGTH + WINDOW_LENGTH  # 15600 samples = 0.975 s

_MEL_BREAK_HZ = 700.0
_MEL_HIGH_Q = 1127.0


def hertz_to_mel(frequencies_hertz):
    """HTK mel scale: ``1127 * ln(1 + f / 700)``."""
    return _MEL_HIGH_Q * np.log(1.0 + np.asarray(frequencies_hertz, dtype=np.float64) / _MEL_BREAK_HZ)


def periodic_hann(window_length: int = WINDOW_LENGTH) -> np.ndarray:
    """Periodic Hann window ``0.5 - 0.5 cos(2 pi n / N)``, n = 0..N-1 (not the symmetric one)."""
    n = np.arange(window_length, dtype=np.float64)
    return 0.5 - 0.5 * np.cos(2.0 * np.pi / window_length * n)


def mel_matrix(
    num_mel_bins: int = NUM_MEL_BINS,
    num_spectrogram_bins: int = NUM_SPECTROGRAM_BINS,
    sample_rate: int = SAMPLE_RATE,
    lower_edge_hertz: float = MEL_MIN_HZ,
    upper_edge_hertz: float = MEL_MAX_HZ,
) -> np.ndarray:
    """Triangular mel weights, shape [num_spectrogram_bins, num_mel_bins] (257, 64).

    Band ``i`` rises linearly (in mel) from edge ``i`` to edge ``i+1`` and falls to edge ``i+2``;
    the DC row is zero.
    """
    nyquist = sample_rate / 2.0
    if not 0.0 <= lower_edge_hertz < upper_edge_hertz <= nyquist:
        raise ValueError(f"need 0 <= lower ({lower_edge_hertz}) < upper ({upper_edge_hertz}) <= nyquist ({nyquist})")
    bins_mel = hertz_to_mel(np.linspace(0.0, nyquist, num_spectrogram_bins))  # [257]
    edges_mel = np.linspace(hertz_to_mel(lower_edge_hertz), hertz_to_mel(upper_edge_hertz), num_mel_bins + 2)
    lower, center, upper = edges_mel[:-2], edges_mel[1:-1], edges_mel[2:]  # [64] each
    rising = (bins_mel[:, None] - lower[None, :]) / (center - lower)[None, :]
    falling = (upper[None, :] - bins_mel[:, None]) / (upper - center)[None, :]
    weights = np.maximum(0.0, np.minimum(rising, falling))  # [257, 64]
    weights[0, :] = 0.0  # the DC bin never contributes, whatever the lower edge
    return weights


_MEL_MATRIX = mel_matrix()
_HANN = periodic_hann()


def stft_magnitude(samples_16k: np.ndarray) -> np.ndarray:
    """|rfft| of 400-sample periodic-Hann frames with hop 160, shape [frames, 257].

    No centring or padding: ``frames = 1 + (len - 400) // 160``, zero frames when the input is
    shorter than one window.
    """
    x = np.asarray(samples_16k, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"expected mono samples of shape [n], got {x.shape}")
    if x.shape[0] < WINDOW_LENGTH:
        return np.zeros((0, NUM_SPECTROGRAM_BINS), dtype=np.float64)
    num_frames = 1 + (x.shape[0] - WINDOW_LENGTH) // HOP_LENGTH
    starts = np.arange(num_frames)[:, None] * HOP_LENGTH
    frames = x[starts + np.arange(WINDOW_LENGTH)[None, :]]  # [frames, 400]
    return np.abs(np.fft.rfft(frames * _HANN[None, :], n=FFT_LENGTH, axis=1))


def log_mel(samples_16k: np.ndarray) -> np.ndarray:
    """Log-mel spectrogram of mono 16 kHz samples in [-1, 1): shape [frames, 64], ``ln(mel + 0.01)``."""
    return np.log(stft_magnitude(samples_16k) @ _MEL_MATRIX + LOG_OFFSET)


def apply_gain(patches: np.ndarray, gain_db: float) -> np.ndarray:
    """The log-mel patches of the same audio ``gain_db`` louder, from the patches alone: the mel bands are linear
    in the STFT *magnitude*, so ``ln(g * (exp(L) - 0.01) + 0.01)``, equal (float rounding, no clipping) to the patches
    of the scaled samples. All-zero patches (no audio, :func:`patch_for_window`) stay zero."""
    x = np.asarray(patches, dtype=np.float64)
    g = 10.0 ** (gain_db / 20.0)
    out = np.log(g * np.maximum(np.exp(x) - LOG_OFFSET, 0.0) + LOG_OFFSET)
    silent = ~x.reshape(x.shape[0], -1).any(1) if x.ndim == 3 else np.zeros(0, bool)
    out[silent] = 0.0
    return out


def patch_for_window(samples_16k: np.ndarray) -> np.ndarray:
    """The first 96x64 log-mel patch of a mono 16 kHz window, or zeros if it has < 15600 samples.

    Only samples ``[0, 15600)`` influence the result.
    """
    spec = log_mel(np.asarray(samples_16k, dtype=np.float64)[:PATCH_SAMPLES])
    if spec.shape[0] < PATCH_FRAMES:
        return np.zeros((PATCH_FRAMES, NUM_MEL_BINS), dtype=np.float64)
    return spec[:PATCH_FRAMES]


def to_mono(wav: np.ndarray) -> np.ndarray:
    """[n] or [n, channels] -> float64 [n] (channel mean). Integer PCM is scaled by 1/32768 (int16)."""
    x = np.asarray(wav)
    if np.issubdtype(x.dtype, np.integer):
        if x.dtype != np.int16:
            raise ValueError(f"integer PCM must be int16, got {x.dtype}")
        x = x.astype(np.float64) / 32768.0
    else:
        x = x.astype(np.float64)
    if x.ndim == 2:
        x = x.mean(axis=1)
    elif x.ndim != 1:
        raise ValueError(f"expected [n] or [n, channels] samples, got {x.shape}")
    return x


def resample_to_16k(mono: np.ndarray, sr: int) -> np.ndarray:
    """Resample one slice to 16 kHz with ``resampy.resample`` (``kaiser_best``), identity at 16 kHz.

    A slice too short for one output sample gives an empty array (resampy itself raises there).
    """
    if sr == SAMPLE_RATE:
        return mono
    if sr <= 0:
        raise ValueError(f"sample rate must be positive, got {sr}")
    if int(mono.shape[0] * float(SAMPLE_RATE) / float(sr)) < 1:
        return np.zeros(0, dtype=np.float64)
    import resampy

    return resampy.resample(np.asarray(mono, dtype=np.float64), int(sr), SAMPLE_RATE, filter="kaiser_best")


def video_patches(wav: np.ndarray, sr: int, num_frames: int) -> np.ndarray:
    """One 96x64 patch per video frame: frame ``i`` <-> audio second ``[i*sr, (i+1)*sr)``.

    ``wav`` is [n] or [n, channels], int16 PCM or float in [-1, 1). Each second is made mono and
    resampled on its own (as the official extractor does); seconds that lie (partly) past the end
    of the audio give zero patches when they hold fewer than 15600 samples at 16 kHz.
    Returns float64 [num_frames, 96, 64].
    """
    if num_frames < 0:
        raise ValueError(f"num_frames must be >= 0, got {num_frames}")
    sr = int(sr)
    mono = to_mono(wav)
    out = np.zeros((num_frames, PATCH_FRAMES, NUM_MEL_BINS), dtype=np.float64)
    for i in range(num_frames):
        second = resample_to_16k(mono[i * sr:(i + 1) * sr], sr)
        out[i] = patch_for_window(second)
    return out


def band_of_frequency(frequency_hertz: float) -> int:
    """Index of the mel band whose centre is nearest (in mel) to ``frequency_hertz``."""
    edges = np.linspace(hertz_to_mel(MEL_MIN_HZ), hertz_to_mel(MEL_MAX_HZ), NUM_MEL_BINS + 2)
    return int(np.argmin(np.abs(edges[1:-1] - hertz_to_mel(frequency_hertz))))


def _main(argv=None) -> int:
    """``python3 -m acvis.mel IN.wav OUT.npy [--frames T]``: write the MELAudios array of a WAV."""
    import argparse

    from scipy.io import wavfile

    parser = argparse.ArgumentParser(description=_main.__doc__)
    parser.add_argument("wav")
    parser.add_argument("out")
    parser.add_argument("--frames", type=int, default=None, help="default: seconds of the WAV, rounded up")
    args = parser.parse_args(argv)
    sr, data = wavfile.read(args.wav)
    frames = args.frames if args.frames is not None else int(math.ceil(data.shape[0] / sr))
    np.save(args.out, video_patches(data, sr, frames))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
