"""Properties of the VGGish-compatible log-mel front end (spec §2.3), checked by hand-derived values."""

import sys
from pathlib import Path

import numpy as np
import pytest

from acvis import mel


def _tone(freq_hz, seconds=1.0, sr=16000, amplitude=0.5):
    t = np.arange(int(round(seconds * sr))) / sr
    return amplitude * np.sin(2 * np.pi * freq_hz * t)


def test_should_build_64_htk_bands_between_125_and_7500_hz_with_zero_dc():
    weights = mel.mel_matrix()

    assert weights.shape == (257, 64)
    assert np.all(weights[0] == 0.0)
    assert weights.min() >= 0.0 and weights.max() <= 1.0
    # bin k sits at k * 8000/256 = 31.25 k Hz: bins at or below 125 Hz (k <= 4) and at or above
    # 7500 Hz (k >= 240) lie outside every triangle.
    assert np.all(weights[:5] == 0.0)
    assert np.all(weights[240:] == 0.0)
    assert np.all(weights[5:240].sum(axis=1) > 0.0)
    # HTK mel: 1000 Hz -> 1127 ln(1 + 1000/700) = 999.99 mel.
    assert mel.hertz_to_mel(1000.0) == pytest.approx(1127.0 * np.log(1.0 + 1000.0 / 700.0))
    assert mel.hertz_to_mel(1000.0) == pytest.approx(1000.0, abs=0.05)


def test_should_place_each_triangle_between_neighbouring_mel_edges():
    weights = mel.mel_matrix()
    edges = np.linspace(mel.hertz_to_mel(125.0), mel.hertz_to_mel(7500.0), 66)
    bins_mel = mel.hertz_to_mel(np.linspace(0.0, 8000.0, 257))

    for band in (0, 17, 63):
        support = np.nonzero(weights[:, band])[0]
        assert np.all(bins_mel[support] > edges[band])
        assert np.all(bins_mel[support] < edges[band + 2])
        # triangles are linear in mel: a bin below the centre has weight (m - lower)/(centre - lower)
        k = support[0]
        expected = (bins_mel[k] - edges[band]) / (edges[band + 1] - edges[band])
        assert weights[k, band] == pytest.approx(min(expected, (edges[band + 2] - bins_mel[k]) / (edges[band + 2] - edges[band + 1])))


def test_should_use_a_periodic_hann_window():
    window = mel.periodic_hann(400)

    assert window[0] == 0.0
    assert window[200] == pytest.approx(1.0)
    # periodic, not symmetric: w[n] == w[400 - n], so the last sample is not zero
    assert window[399] == pytest.approx(window[1])
    assert window[399] > 0.0


def test_should_frame_one_second_into_98_stft_frames_and_one_patch():
    spec = mel.log_mel(_tone(1000.0))

    assert spec.shape == (1 + (16000 - 400) // 160, 64) == (98, 64)
    assert mel.patch_for_window(_tone(1000.0)).shape == (96, 64)


@pytest.mark.parametrize("freq_hz", [300.0, 1000.0, 4000.0])
def test_should_put_a_pure_tone_in_its_mel_band(freq_hz):
    patch = mel.patch_for_window(_tone(freq_hz))
    loudest = int(np.argmax(patch.mean(axis=0)))

    assert abs(loudest - mel.band_of_frequency(freq_hz)) <= 1
    # far from the tone the spectrum is (numerically) empty: ln(~0 + 0.01)
    far = (loudest + 20) % 64
    assert patch[:, far].mean() < patch[:, loudest].mean() - 5.0


def test_should_give_log_offset_on_silence_and_zero_patch_on_short_input():
    silence = mel.patch_for_window(np.zeros(16000))
    short = mel.patch_for_window(_tone(1000.0, seconds=15599 / 16000))
    exactly_enough = mel.patch_for_window(_tone(1000.0, seconds=15600 / 16000))
    empty = mel.patch_for_window(np.zeros(0))

    assert np.allclose(silence, np.log(0.01))
    assert np.all(short == 0.0)
    assert np.all(empty == 0.0)
    assert not np.all(exactly_enough == 0.0)


def test_should_ignore_samples_after_15600_in_a_window():
    base = _tone(1000.0)
    changed = base.copy()
    changed[15600:] = 0.9

    assert np.array_equal(mel.patch_for_window(base), mel.patch_for_window(changed))


def test_should_match_a_direct_dft_of_one_frame():
    x = np.random.default_rng(0).uniform(-1, 1, 400)
    n = np.arange(400)
    w = 0.5 - 0.5 * np.cos(2 * np.pi * n / 400)
    k = np.arange(257)
    dft = np.abs(((x * w)[None, :] * np.exp(-2j * np.pi * k[:, None] * n[None, :] / 512)).sum(axis=1))

    expected = np.log(dft @ mel.mel_matrix() + 0.01)

    assert np.allclose(mel.log_mel(x)[0], expected, rtol=0, atol=1e-9)


def test_should_align_frame_i_with_audio_second_i_and_average_stereo():
    sr = 16000
    seconds = [_tone(500.0), _tone(2000.0), _tone(6000.0)]
    left = np.concatenate(seconds)
    stereo = np.stack([left, np.zeros_like(left)], axis=1)  # right channel silent: mono = left / 2

    patches = mel.video_patches(stereo, sr, num_frames=4)

    assert patches.shape == (4, 96, 64)
    for i, f in enumerate((500.0, 2000.0, 6000.0)):
        assert np.allclose(patches[i], mel.patch_for_window(seconds[i] / 2.0))
    assert np.all(patches[3] == 0.0)  # past the end of the audio


def test_should_scale_int16_pcm_by_32768():
    x = (_tone(1000.0) * 32767).astype(np.int16)

    patches = mel.video_patches(x, 16000, 1)

    assert np.allclose(patches[0], mel.patch_for_window(x.astype(np.float64) / 32768.0))


def test_should_resample_44k1_seconds_to_the_same_band():
    sr = 44100
    t = np.arange(2 * sr) / sr
    x = 0.5 * np.sin(2 * np.pi * 1500.0 * t)

    patches = mel.video_patches(x, sr, 2)
    native = mel.patch_for_window(_tone(1500.0))

    band = mel.band_of_frequency(1500.0)
    assert int(np.argmax(patches[1].mean(axis=0))) == int(np.argmax(native.mean(axis=0)))
    # kaiser_best passes 1.5 kHz untouched: the tone's band agrees closely with native 16 kHz
    assert abs(patches[1][:, band].mean() - native[:, band].mean()) < 0.05


def test_should_write_melaudios_for_a_stereo_44k1_wav(tmp_path):
    from scipy.io import wavfile

    sr = 44100
    t = np.arange(int(2.5 * sr)) / sr
    pcm = (0.4 * np.sin(2 * np.pi * 800.0 * t) * 32767).astype(np.int16)
    wavfile.write(tmp_path / "a.wav", sr, np.stack([pcm, pcm], axis=1))

    assert mel._main([str(tmp_path / "a.wav"), str(tmp_path / "a.npy")]) == 0

    patches = np.load(tmp_path / "a.npy")
    assert patches.shape == (3, 96, 64) and patches.dtype == np.float64  # ceil(2.5 s) frames
    assert np.all(patches[2] == 0.0)  # the last half second is too short for a patch
    assert int(np.argmax(patches[0].mean(axis=0))) == mel.band_of_frequency(800.0)


# --- resampling as the official extractor (resampy kaiser_best), shared vectors with the Java tests ---------------

_VECTORS = Path(__file__).resolve().parents[2] / "src" / "test" / "resources" / "parity" / "resample"
_CASES = [(rate, case) for rate in (8000, 22050, 44100, 48000)
          for case in (("mono-tone3900", "mono-tone3990") if rate == 8000 else ("mono-tone7500", "mono-tone7900"))
          + ("mono-tone1000", "stereo-noise")]


@pytest.mark.parametrize("rate,case", _CASES)
def test_should_resample_like_resampy_kaiser_best(rate, case):
    pcm = np.load(_VECTORS / f"{rate}-{case}.in.npy")
    expected = np.load(_VECTORS / f"{rate}-{case}.out.npy")

    got = mel.resample_to_16k(mel.to_mono(pcm), rate)

    assert got.shape == expected.shape
    assert np.array_equal(got, expected)


@pytest.mark.parametrize("rate", [44100, 48000])
@pytest.mark.parametrize("signal", ["mix", "tones"])
def test_should_give_the_official_patches_per_second_for_stereo_input(rate, signal):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    import make_resample_vectors as vectors

    name, make = {"mix": ("e2e", vectors.stereo_mix), "tones": ("e2e-tones", vectors.stereo_tones)}[signal]
    expected = np.load(_VECTORS / f"{name}-{rate}.mel.npy")

    patches = mel.video_patches(make(rate, 2.4), rate, 3)

    assert np.array_equal(patches.astype(np.float32), expected)
    assert np.all(patches[2] == 0.0)  # the 0.4 s last second: fewer than 15600 samples at 16 kHz


def test_should_cut_7_9_khz_as_kaiser_best_does():
    sr = 44100
    t = np.arange(sr) / sr
    y = mel.resample_to_16k(np.sin(2 * np.pi * 7900.0 * t), sr)
    z = mel.resample_to_16k(np.sin(2 * np.pi * 7000.0 * t), sr)

    assert y.shape == (16000,)
    assert np.sqrt(2 * np.mean(y[4000:12000] ** 2)) < 1e-3
    assert abs(np.sqrt(2 * np.mean(z[4000:12000] ** 2)) - 0.971) < 0.01


def test_should_resample_each_second_alone():
    sr = 22050
    x = np.random.default_rng(3).normal(0.0, 0.1, 2 * sr)

    patches = mel.video_patches(x, sr, 2)
    whole = mel.resample_to_16k(x, sr)

    assert np.array_equal(patches[1], mel.patch_for_window(mel.resample_to_16k(x[sr:], sr)))
    assert not np.array_equal(patches[1], mel.patch_for_window(whole[16000:]))


def test_should_give_zeros_where_the_official_code_raises():
    sr = 48000
    x = np.random.default_rng(4).normal(0.0, 0.1, sr + 2)  # second 1 holds 2 samples: no 16 kHz sample at all

    patches = mel.video_patches(x, sr, 3)

    assert mel.resample_to_16k(x[sr:], sr).shape == (0,)
    assert not np.all(patches[0] == 0.0)
    assert np.all(patches[1] == 0.0) and np.all(patches[2] == 0.0)


def test_should_give_the_patches_of_louder_audio_from_the_patches_alone():
    # Given: a second of a harmonic tone with noise, and its patches
    rng = np.random.default_rng(0)
    t = np.arange(32000) / 16000
    x = 0.2 * np.sin(2 * np.pi * 440 * t) + 0.01 * rng.standard_normal(t.shape)
    patches = mel.video_patches(x, 16000, 2)
    for db in (-12.0, -3.0, 6.0):
        # When: the gain is applied to the patches
        got = mel.apply_gain(patches, db)
        # Then: they are those of the scaled samples (the mel bands are linear in the magnitude)
        np.testing.assert_allclose(got, mel.video_patches(x * 10 ** (db / 20), 16000, 2), atol=1e-9)
    # And: a missing second (zero patch) stays zero, 0 dB changes nothing
    padded = mel.video_patches(x, 16000, 3)
    assert not padded[2].any() and not mel.apply_gain(padded, 6.0)[2].any()
    np.testing.assert_allclose(mel.apply_gain(patches, 0.0), patches, atol=1e-12)
