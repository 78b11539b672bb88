"""ACVIS model: training-mode output contract, per-frame independence and official-exact behaviours."""

import math
from dataclasses import replace

import pytest
import torch
import torch.nn.functional as F

from acvis.config import NUM_CLASSES, PIXEL_MEAN, PIXEL_STD, get_config
from acvis.modeling.layers import CrossAttentionLayer
from acvis.losses.saoc import saoc_probabilities
from acvis.modeling.model import build_model, video_mask_logits
from acvis.modeling.video_module import SHIFT_MASK_VALUE, VideoModule


def _clip(t=3, h=70, w=100, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.rand(t, 3, h, w, generator=g) * 255, torch.randn(t, 96, 64, generator=g) * 2 - 3


def test_should_return_documented_training_outputs_for_one_clip():
    # Given a tiny model in training mode and a 5-frame clip of 70x100 frames (padded to 96x128)
    cfg = get_config("tiny")
    torch.manual_seed(0)
    model = build_model(cfg).train()
    images, mel = _clip(t=5)
    q, qv, c, cm, lyr = cfg.num_queries, cfg.video_queries, cfg.hidden_dim, cfg.mask_dim, cfg.last_layer_num

    # When
    out = model(images, mel)

    # Then every key of the docstring contract has its shape
    assert out["pred_logits"].shape == (5, q, NUM_CLASSES + 1)
    assert out["pred_masks"].shape == (5, q, 24, 32)
    assert len(out["aux_outputs"]) == cfg.dec_layers
    assert all(a["pred_masks"].shape == (5, q, 24, 32) for a in out["aux_outputs"])
    assert out["count_logits"].shape == (5, cfg.kmax)
    assert out["frame_queries"].shape == (lyr, 5, q, c)
    assert out["video_pred_logits"].shape == (lyr, qv, NUM_CLASSES + 1)
    assert out["video_pred_mask_embed"].shape == (lyr, qv, cm)
    assert out["video_pred_masks"].shape == (lyr, qv, 5, 24, 32)
    assert out["video_pred_cq_embed"].shape == (lyr, qv, c)
    assert out["video_pred_fq_embed"].shape == (lyr, 5, q, c)
    assert len(out["video_aux_outputs"]) == cfg.video_dec_layers - 1
    assert out["video_aux_outputs"][0]["pred_masks"].shape == (lyr, qv, 5, 24, 32)
    assert out["padded_size"] == (96, 128) and out["image_size"] == (70, 100)
    # the last frame-query layer is the final decoder output
    final = model.sem_seg_head.predictor.class_embed(out["frame_queries"][-1])
    torch.testing.assert_close(final, out["pred_logits"])


def test_should_backpropagate_into_decoders_but_not_into_vggish():
    # Given
    torch.manual_seed(0)
    model = build_model(get_config("tiny")).train()
    images, mel = _clip(t=2, h=64, w=64)

    # When
    out = model(images, mel)
    loss = out["video_pred_masks"].mean() + out["pred_logits"].mean() + out["count_logits"].mean()
    loss.backward()

    # Then the round of the quantiser blocks every gradient to VGGish (spec §2.4)
    vgg = [p.grad for p in model.audio_backbone.parameters() if p.requires_grad]
    assert all(g is None or torch.count_nonzero(g) == 0 for g in vgg)
    assert torch.count_nonzero(model.sem_seg_head.predictor.query_feat.weight.grad) > 0
    assert torch.count_nonzero(model.backbone.stem.conv1.weight.grad) > 0


def test_should_normalise_then_zero_pad_to_multiples_of_32(tiny_model):
    # Given a 33x65 image
    images = torch.full((1, 3, 33, 65), 200.0)

    # When
    x = tiny_model.preprocess(images)

    # Then it is padded to 64x96 with zeros after normalisation
    assert x.shape == (1, 3, 64, 96)
    expected = (200.0 - torch.tensor(PIXEL_MEAN)) / torch.tensor(PIXEL_STD)
    torch.testing.assert_close(x[0, :, 0, 0], expected)
    assert torch.all(x[:, :, 33:] == 0) and torch.all(x[:, :, :, 65:] == 0)


def test_should_compute_each_frame_independently_in_the_frame_stage(tiny_model):
    # Given two frames and their audio
    images, mel = _clip(t=2, h=64, w=96)
    with torch.no_grad():
        audio = tiny_model.forward_audio(mel)

        # When run as a batch and one by one
        both = tiny_model.forward_frame(images, audio)
        single = [tiny_model.forward_frame(images[i:i + 1], audio[i:i + 1]) for i in range(2)]

    # Then batching has no numerical effect (spec §1.3)
    for key, value in both.items():
        if key == "attn_masks":
            for layer, mask in enumerate(value):
                assert torch.equal(mask, torch.cat([s[key][layer] for s in single]))
        else:
            torch.testing.assert_close(value, torch.cat([s[key] for s in single]), rtol=1e-5, atol=1e-5)


def test_should_quantise_audio_features_to_integers_in_0_255(tiny_model):
    # Given
    _, mel = _clip(t=4)

    # When
    with torch.no_grad():
        feats = tiny_model.forward_audio(mel)

    # Then
    assert feats.shape == (4, 128)
    assert torch.all(feats == torch.round(feats))
    assert feats.min() >= 0 and feats.max() <= 255


def test_should_equal_closed_form_when_acqg_attends_to_a_single_audio_token():
    # Given a cross-attention layer over one key (spec §3.4)
    torch.manual_seed(1)
    layer = CrossAttentionLayer(64, 4)
    tokens, pos, audio = torch.randn(17, 2, 64), torch.randn(17, 2, 64), torch.randn(1, 2, 64)

    # When
    out = layer(tokens, audio, query_pos=pos)

    # Then it adds W_o(W_v a + b_v) + b_o to every token, then LayerNorm
    mha = layer.multihead_attn
    v = F.linear(audio, mha.in_proj_weight[128:], mha.in_proj_bias[128:])
    u = mha.out_proj(v)
    torch.testing.assert_close(out, layer.norm(tokens + u), rtol=1e-5, atol=1e-5)


def _official_shift_mask(pad: torch.Tensor, w: int) -> torch.Tensor:
    """The shifted-window frame mask built step by step as spec §3.8 step 4 describes it."""
    half = math.ceil(w / 2)
    nw = pad.numel() // w
    rolled = torch.roll(pad, half, 0).view(nw, w)[..., None].repeat(1, 1, w)     # row i = pad(slot i)
    m = rolled.clone()
    m[0] = m[0] | m[0].transpose(0, 1)
    m[-1] = m[-1] | m[-1].transpose(0, 1)
    m[0, :half, half:] = True
    m[0, half:, :half] = True
    return m


@pytest.mark.parametrize("t", [1, 4, 6, 7, 13])
def test_should_build_the_official_shifted_window_mask(t):
    # Given a video module with window 6 and a clip of t frames padded to a multiple of 6
    vm = VideoModule(hidden_dim=16, mask_dim=16, num_frame_queries=2, num_queries=2, nheads=2,
                     dim_feedforward=8, enc_layers=2, dec_layers=1, window_size=6)
    tp = 6 * math.ceil(t / 6)
    pad = torch.arange(tp) >= t

    # When
    window_pad, shift = vm._frame_masks(pad)

    # Then
    assert torch.equal(window_pad, pad.view(-1, 6))
    assert torch.equal(shift == SHIFT_MASK_VALUE, _official_shift_mask(pad, 6))


def _official_av_fusion(vm, x_enc, u_full, pad):
    """AV fusion with Q identical audio tokens per frame, as the official code computes it."""
    tp, q, lb, c = x_enc.shape
    w, half = vm.window_size, math.ceil(vm.window_size / 2)
    nw = tp // w
    kpm = pad.view(nw, w)[..., None].repeat(1, 1, q).flatten(1)
    sm = (_official_shift_mask(pad, w).float() * SHIFT_MASK_VALUE)
    sm = sm.view(nw, w, 1, w, 1).repeat(1, 1, q, 1, q).view(nw, 1, w * q, w * q)

    def win(z):
        return z.view(nw, w, q, lb, c).permute(1, 2, 3, 0, 4).reshape(w * q, lb * nw, c)

    def unwin(z):
        return z.reshape(w, q, lb, nw, c).permute(3, 0, 1, 2, 4).reshape(tp, q, lb, c)

    u = u_full
    for i in range(vm.enc_layers):
        if i % 2 == 0:
            y = vm.enc_av_cross_attn[i](win(u), win(x_enc), memory_key_padding_mask=kpm)
            u = unwin(vm.enc_av_ffn[i](y))
        else:
            y = vm.enc_av_cross_attn[i](win(torch.roll(u, half, 0)), win(torch.roll(x_enc, half, 0)), memory_mask=sm)
            u = torch.roll(unwin(vm.enc_av_ffn[i](y)), -half, 0)
    return u


@pytest.mark.parametrize("t", [4, 9])
def test_should_match_q_token_av_fusion_with_one_token_per_frame(t):
    # Given encoded frame queries and audio tokens of a padded clip
    torch.manual_seed(2)
    vm = VideoModule(hidden_dim=16, mask_dim=16, num_frame_queries=3, num_queries=2, nheads=2,
                     dim_feedforward=8, enc_layers=4, dec_layers=1, window_size=6).eval()
    tp = 6 * math.ceil(t / 6)
    pad = torch.arange(tp) >= t
    x_enc = torch.randn(tp, 3, 1, 16)
    u = torch.randn(tp, 1, 1, 16) * (~pad).float()[:, None, None, None]
    window_pad, shift = vm._frame_masks(pad)

    # When
    with torch.no_grad():
        ours = vm.encode_audio(u, x_enc, window_pad, shift)
        official = _official_av_fusion(vm, x_enc, u.expand(-1, 3, -1, -1).contiguous(), pad)

    # Then the Q copies stay identical and equal the single token (spec §3.8 step 5)
    torch.testing.assert_close(official[:t], ours[:t].expand(-1, 3, -1, -1), rtol=1e-5, atol=1e-5)


def test_should_shift_windows_only_at_inference():
    # Given a 4-frame clip; the shifted layer splits frames {0,1,2} from {3} at inference only
    torch.manual_seed(3)
    vm = VideoModule(hidden_dim=16, mask_dim=16, num_frame_queries=2, num_queries=2, nheads=2,
                     dim_feedforward=8, enc_layers=2, dec_layers=1, window_size=6)
    fq, audio = torch.randn(1, 4, 2, 16), torch.randn(4, 128)
    changed = fq.clone()
    changed[0, 3] += 1.0

    with torch.no_grad():
        x = vm.input_proj_dec(changed.permute(1, 2, 0, 3))
        x0 = vm.input_proj_dec(fq.permute(1, 2, 0, 3))
        x, pad = vm._pad_time(x)
        x0, _ = vm._pad_time(x0)
        wp, sm = vm._frame_masks(pad)
        # When only the first (unshifted) layer is used, frame 0 sees frame 3 ...
        vm.enc_layers = 1
        vm.eval()
        one = vm.encode_frame_query(x, wp, sm)[0] - vm.encode_frame_query(x0, wp, sm)[0]
        vm.enc_layers = 2
        # ... and the shifted layer of inference keeps frames 0..2 apart from frame 3
        vm.eval()
        shifted = vm.encode_frame_query(x, wp, sm)
        vm.train()
        unshifted = vm.encode_frame_query(x, wp, sm)

    # Then training and inference differ, as the official schedule does
    assert one.abs().max() > 0
    assert not torch.allclose(shifted, unshifted)


def test_should_decode_saoc_count_probabilities():
    # Given logits with sigma = 0.8 and 0.25
    z = torch.logit(torch.tensor([[0.8, 0.25]]))

    # When
    p = saoc_probabilities(z)

    # Then P(0) = 0.2, P(1) = 0.8 - 0.2, P(2) = 0.8 * 0.25
    torch.testing.assert_close(p, torch.tensor([[0.2, 0.6, 0.2]]))


def test_should_upsample_video_masks_four_times_bilinearly():
    # Given
    torch.manual_seed(4)
    embed, feats = torch.randn(3, 8), torch.randn(1, 8, 5, 7)

    # When
    logits = video_mask_logits(embed, feats)

    # Then
    small = torch.einsum("kc,chw->khw", embed, feats[0])
    expected = F.interpolate(small[None], size=(20, 28), mode="bilinear", align_corners=False)[0]
    assert logits.shape == (3, 20, 28)
    torch.testing.assert_close(logits, expected)


def test_should_return_masks_at_output_size_from_offline_inference():
    # Given a tiny model that keeps every candidate (threshold below any score)
    cfg = replace(get_config("tiny"), test_score_threshold=-1.0)
    torch.manual_seed(0)
    model = build_model(cfg).eval()
    images, mel = _clip(t=3, h=64, w=90)

    # When
    res = model.inference(images, mel, output_size=(128, 180))

    # Then top-k (query, class) pairs come back with masks for every frame
    assert res["scores"].shape == (cfg.test_topk,)
    assert res["masks"].shape == (cfg.test_topk, 3, 128, 180) and res["masks"].dtype == torch.bool
    assert torch.all((res["labels"] >= 0) & (res["labels"] < NUM_CLASSES))
    assert res["count_logits"].shape == (3, cfg.kmax)


def test_should_run_the_avism_additive_variant():
    # Given the tiny sizes with AVISM's additive audio fusion and no count token
    cfg = replace(get_config("tiny"), audio_conditioning="additive", count_token=False)
    torch.manual_seed(0)
    model = build_model(cfg).train()
    images, mel = _clip(t=2, h=64, w=64)

    # When
    out = model(images, mel)

    # Then
    assert "count_logits" not in out
    assert hasattr(model.sem_seg_head.predictor, "av_sf")
    assert out["video_pred_logits"].shape == (cfg.last_layer_num, cfg.video_queries, NUM_CLASSES + 1)


def test_should_count_conv_and_matmul_multiply_adds():
    # Given a 3x3 conv 4->8 on 10x10 (pad 1) and a 5x6 @ 6x7 product
    from acvis.profile import FlopCounter
    conv = torch.nn.Conv2d(4, 8, 3, padding=1, bias=False)
    x, a, b = torch.randn(1, 4, 10, 10), torch.randn(5, 6), torch.randn(6, 7)

    # When
    with torch.no_grad(), FlopCounter() as counter:
        conv(x)
        torch.mm(a, b)

    # Then
    assert counter.macs["conv"] == 8 * 10 * 10 * 4 * 3 * 3
    assert counter.macs["matmul"] == 5 * 6 * 7


def test_should_equal_the_official_layout_with_the_audio_normalisation_folded_into_the_projections():
    # Given: the avbench model (audio_input_norm) and the same weights without the normalisation, where the affine
    # (a - 127.5) / 63.75 is folded into av_pre_proj and av_proj instead
    assert get_config("avbench").audio_input_norm and not get_config("r50").audio_input_norm
    torch.manual_seed(0)
    normed = build_model(get_config("avbench")).eval()
    plain = build_model(replace(get_config("avbench"), audio_input_norm=False)).eval()
    plain.load_state_dict(normed.state_dict())
    with torch.no_grad():
        for lin in (plain.sem_seg_head.predictor.av_pre_proj, plain.video_module.av_proj):
            lin.bias -= lin.weight.sum(1) * 127.5 / 63.75
            lin.weight /= 63.75
    images, _ = _clip(t=2, h=96, w=160)
    audio = torch.randint(0, 256, (2, 128)).float()

    # When
    with torch.no_grad():
        a = normed.forward_frame(images, audio)
        b = plain.forward_frame(images, audio)
        va = normed.forward_video(a["frame_queries"], audio)
        vb = plain.forward_video(b["frame_queries"], audio)

    # Then: the same function, and the audio moves the outputs (the normalisation does not cut the path)
    torch.testing.assert_close(a["count_logits"], b["count_logits"], rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(va["class_logits"], vb["class_logits"], rtol=1e-4, atol=1e-4)
    with torch.no_grad():
        other = normed.forward_frame(images, torch.full((2, 128), 127.0))
    assert not torch.allclose(other["count_logits"], a["count_logits"])
