"""Second, independent implementation of aviseg-data-and-metrics.md in numpy/scipy (written from the spec, not from
the official code), used to generate the cross-check cases of CrossCheckTest: random small inputs, expected metrics.
It uses numpy's own reductions on arrays laid out as the spec describes (IoU matrices column-major), so it checks the
Java emulation of the summation orders, and scipy's own linear_sum_assignment.

    /usr/bin/python3 src/test/resources/eval/crosscheck/reference.py  (from the repository root; rewrites cases.json)
"""
import json
import numpy as np
from scipy.optimize import linear_sum_assignment

EPS = np.finfo('float').eps
ALPHAS = np.arange(0.05, 0.99, 0.05)
TAUS = np.arange(0.5, 0.96, 0.05)  # recomputed below from the spec's literal list
TAUS = np.array([0.5, 0.55, 0.6000000000000001, 0.6500000000000001, 0.7000000000000002, 0.7500000000000002,
                 0.8000000000000003, 0.8500000000000003, 0.9000000000000004, 0.9500000000000004])
ALPHAS = np.array([0.05, 0.1, 0.15000000000000002, 0.2, 0.25, 0.3, 0.35000000000000003, 0.4, 0.45, 0.5, 0.55,
                   0.6000000000000001, 0.6500000000000001, 0.7000000000000001, 0.7500000000000001, 0.8,
                   0.8500000000000001, 0.9000000000000001, 0.9500000000000001])
REC = np.array([i * 0.01 for i in range(100)] + [1.0])
RANGES = [None, [0, 128 ** 2], [128 ** 2, 256 ** 2], [256 ** 2, 1e10]]


def rle_decode_string(s):
    counts, p = [], 0
    while p < len(s):
        x, k, more = 0, 0, True
        while more:
            c = ord(s[p]) - 48
            x |= (c & 0x1f) << (5 * k)
            more = c & 0x20
            p += 1
            k += 1
            if not more and (c & 0x10):
                x |= -1 << (5 * k)
        if len(counts) > 2:
            x += counts[-2]
        counts.append(x & 0xffffffff)
    return counts


def to_mask(rle):
    h, w = rle['size']
    counts = rle['counts'] if isinstance(rle['counts'], list) else rle_decode_string(rle['counts'])
    flat = np.zeros(h * w, dtype=bool)
    at, v = 0, False
    for c in counts:
        if v:
            flat[at:at + c] = True
        at += c
        v = not v
    return flat  # column-major order


def iou(a, b):
    inter = np.count_nonzero(a & b)
    if inter == 0:
        return 0.0
    return float(inter) / float(np.count_nonzero(a | b))


def pct(m):
    return float(np.round(100 * m, 2))


def load(gt, results):
    videos = sorted(gt['videos'], key=lambda v: v['file_names'][0].split('/')[0])
    seqs, counter = [], 0
    for v in videos:
        T = len(v['file_names'])
        gts = []
        for a in gt['annotations']:
            if a['video_id'] != v['id']:
                continue
            masks = []
            for seg in a['segmentations']:
                masks.append(None if not seg else np.any([to_mask(r) for r in seg], axis=0))
            areas = [x for x in a['areas'] if x]
            gts.append(dict(id=a['id'], cat=a['category_id'], crowd=a.get('iscrowd', 0), masks=masks,
                            area=np.array(areas, dtype=float).mean() if areas else 0))
        preds = []
        for r in results:
            if r['video_id'] != v['id']:
                continue
            masks = [None if s is None else to_mask(s) for s in r['segmentations']]
            strings = [None if s is None else s['counts'] for s in r['segmentations']]
            areas = [np.count_nonzero(m) for m in masks if m is not None]
            areas = [x for x in areas if x]
            preds.append(dict(id=counter, cat=r['category_id'], score=r['score'], masks=masks, strings=strings,
                              area=np.array(areas, dtype=float).mean() if areas else 0))
            counter += 1
        frames = []
        for t in range(T):
            gi = [i for i, g in enumerate(gts) if g['masks'][t] is not None]
            pi = [j for j, p in enumerate(preds) if p['masks'][t] is not None]
            sim = np.zeros((len(gi), len(pi)), order='F')
            for x, i in enumerate(gi):
                for y, j in enumerate(pi):
                    sim[x, y] = iou(gts[i]['masks'][t], preds[j]['masks'][t])
            frames.append((gi, pi, sim))
        seqs.append(dict(T=T, gts=gts, preds=preds, frames=frames))
    return seqs


def track_iou(d, g):
    inter = union = 0.0
    for t in range(max(len(d['masks']), len(g['masks']))):
        dm = d['masks'][t] if t < len(d['masks']) else None
        gm = g['masks'][t] if t < len(g['masks']) else None
        if dm is not None and gm is not None:
            inter += np.count_nonzero(dm & gm)
            union += np.count_nonzero(dm | gm)
        elif gm is not None:
            union += np.count_nonzero(gm)
        elif dm is not None:
            union += np.count_nonzero(dm)
    return inter / union if union > EPS else 0.0


def in_range(area, k):
    lo, hi = RANGES[k]
    return lo - EPS <= area <= hi + EPS


def track_map(cats, seqs):
    ap = np.zeros((4, len(cats), 10))
    ar = np.zeros((4, len(cats), 10))
    for ci, c in enumerate(cats):
        per = {k: [] for k in range(4)}
        for s in seqs:
            gts = [g for g in s['gts'] if g['cat'] == c]
            preds = [p for p in s['preds'] if p['cat'] == c]
            if not gts and not preds:
                continue
            order = np.argsort([-p['score'] for p in preds], kind='mergesort')
            preds = [preds[i] for i in order]
            ious = np.array([[track_iou(d, g) for g in gts] for d in preds]).reshape(len(preds), len(gts))
            for k in range(4):
                gt_ig = np.array([1 if (g['crowd'] or (k > 0 and not in_range(g['area'], k))) else 0 for g in gts])
                gorder = np.argsort(gt_ig, kind='mergesort')
                dt_m = np.zeros((10, len(preds))) - 1  # -1: unmatched (annotation id 0 is a valid match)
                dt_ig = np.zeros((10, len(preds)))
                for ti, tau in enumerate(TAUS):
                    gt_m = np.zeros(len(gts))
                    for di, d in enumerate(preds):
                        best, m = min(tau, 1 - 1e-10), -1
                        for gi in gorder:
                            if gt_m[gi] > 0:
                                continue
                            if m > -1 and gt_ig[m] == 0 and gt_ig[gi] == 1:
                                break
                            if ious[di, gi] < best - EPS:
                                continue
                            best, m = ious[di, gi], gi
                        if m == -1:
                            continue
                        dt_ig[ti, di] = gt_ig[m]
                        dt_m[ti, di] = gts[m]['id']
                        gt_m[m] = d['id']
                out = np.array([0 if k == 0 else (0 if in_range(d['area'], k) else 1) for d in preds])
                dt_ig = np.logical_or(dt_ig, np.logical_and(dt_m == -1, np.repeat(out[None, :], 10, 0)))
                per[k].append(dict(scores=[d['score'] for d in preds], dt_m=dt_m, dt_ig=dt_ig,
                                   num_gt=int(np.count_nonzero(gt_ig == 0))))
        for k in range(4):
            rows = per[k]
            num_gt = sum(r['num_gt'] for r in rows)
            if num_gt == 0:
                ap[k, ci, :] = -1
                ar[k, ci, :] = -1
                continue
            scores = np.concatenate([np.array(r['scores'], dtype=float) for r in rows]) if rows else np.zeros(0)
            dt_m = np.concatenate([r['dt_m'] for r in rows], axis=1) if rows else np.zeros((10, 0))
            dt_ig = np.concatenate([r['dt_ig'] for r in rows], axis=1) if rows else np.zeros((10, 0))
            idx = np.argsort(-scores, kind='mergesort')
            dt_m, dt_ig = dt_m[:, idx], dt_ig[:, idx]
            tps = np.logical_and(dt_m != -1, np.logical_not(dt_ig))
            fps = np.logical_and(dt_m == -1, np.logical_not(dt_ig))
            tp_sum = np.cumsum(tps, axis=1).astype(float)
            fp_sum = np.cumsum(fps, axis=1).astype(float)
            for ti in range(10):
                tp, fp = tp_sum[ti], fp_sum[ti]
                rc = tp / num_gt
                ar[k, ci, ti] = rc[-1] if len(tp) else 0
                pr = (tp / (fp + tp + np.spacing(1))).tolist()
                for i in range(len(pr) - 1, 0, -1):
                    if pr[i] > pr[i - 1]:
                        pr[i - 1] = pr[i]
                ins = np.searchsorted(rc, REC, side='left')
                q = [0.0] * 101
                try:
                    for ri, pi in enumerate(ins):
                        q[ri] = pr[pi]
                except IndexError:
                    pass
                ap[k, ci, ti] = np.mean(np.array(q))
    res = {}
    for name, arr in (('AP', ap), ('AR', ar)):
        for k in range(4):
            per_tau = []
            for ti in range(10):
                v = arr[k, :, ti]
                v = v[v > -1]
                per_tau.append(np.mean(v) if len(v) else -1)
            res[(name, k)] = np.mean(np.array(per_tau))
    return res


def alignment(frames, n_gt, n_pr):
    pm = np.zeros((n_gt, n_pr))
    gcnt = np.zeros((n_gt, 1))
    pcnt = np.zeros((1, n_pr))
    for g_ids, p_ids, sim in frames:
        denom = sim.sum(0)[np.newaxis, :] + sim.sum(1)[:, np.newaxis] - sim
        s_iou = np.zeros_like(sim)
        mask = denom > 0 + EPS
        s_iou[mask] = sim[mask] / denom[mask]
        pm[g_ids[:, np.newaxis], p_ids[np.newaxis, :]] += s_iou
        gcnt[g_ids] += 1
        pcnt[0, p_ids] += 1
    return pm / (gcnt + pcnt - pm), gcnt, pcnt


def relabel(ids_per_frame):
    u = np.unique(np.concatenate([np.array(x, dtype=int) for x in ids_per_frame])) if ids_per_frame else []
    m = {v: i for i, v in enumerate(u)}
    return [np.array([m[x] for x in f], dtype=int) for f in ids_per_frame], len(u)


def hota_seq(frames, n_gt, n_pr):
    A = len(ALPHAS)
    res = {f: np.zeros(A) for f in ['TP', 'FN', 'FP', 'AssA', 'AssRe', 'AssPr', 'LocA']}
    n_gt_dets = sum(len(f[0]) for f in frames)
    n_pr_dets = sum(len(f[1]) for f in frames)
    if n_pr_dets == 0:
        res['FN'] = n_gt_dets * np.ones(A)
        res['LocA'] = np.ones(A)
        return res
    if n_gt_dets == 0:
        res['FP'] = n_pr_dets * np.ones(A)
        res['LocA'] = np.ones(A)
        return res
    score, gcnt, pcnt = alignment(frames, n_gt, n_pr)
    mc = [np.zeros((n_gt, n_pr)) for _ in ALPHAS]
    for g_ids, p_ids, sim in frames:
        if len(g_ids) == 0:
            res['FP'] += len(p_ids)
            continue
        if len(p_ids) == 0:
            res['FN'] += len(g_ids)
            continue
        sm = score[g_ids[:, np.newaxis], p_ids[np.newaxis, :]] * sim
        r, c = linear_sum_assignment(-sm)
        for a, alpha in enumerate(ALPHAS):
            ok = sim[r, c] >= alpha - EPS
            ar, ac = r[ok], c[ok]
            n = len(ar)
            res['TP'][a] += n
            res['FN'][a] += len(g_ids) - n
            res['FP'][a] += len(p_ids) - n
            if n > 0:
                res['LocA'][a] += sum(sim[ar, ac])
                mc[a][g_ids[ar], p_ids[ac]] += 1
    for a in range(A):
        m = mc[a]
        res['AssA'][a] = np.sum(m * (m / np.maximum(1, gcnt + pcnt - m))) / np.maximum(1, res['TP'][a])
        res['AssRe'][a] = np.sum(m * (m / np.maximum(1, gcnt))) / np.maximum(1, res['TP'][a])
        res['AssPr'][a] = np.sum(m * (m / np.maximum(1, pcnt))) / np.maximum(1, res['TP'][a])
    res['LocA'] = np.maximum(1e-10, res['LocA']) / np.maximum(1e-10, res['TP'])
    return res


def final(res):
    res['DetRe'] = res['TP'] / np.maximum(1, res['TP'] + res['FN'])
    res['DetPr'] = res['TP'] / np.maximum(1, res['TP'] + res['FP'])
    res['DetA'] = res['TP'] / np.maximum(1, res['TP'] + res['FN'] + res['FP'])
    res['HOTA'] = np.sqrt(res['DetA'] * res['AssA'])
    return res


def class_frames(s, c):
    gi_all = [[i for i in f[0] if s['gts'][i]['cat'] == c] for f in s['frames']]
    pi_all = [[j for j in f[1] if s['preds'][j]['cat'] == c] for f in s['frames']]
    frames = []
    g_ids, n_gt = relabel([[s['gts'][i]['id'] for i in f] for f in gi_all])
    p_ids, n_pr = relabel([[s['preds'][j]['id'] for j in f] for f in pi_all])
    for t, (gi, pi, sim) in enumerate(s['frames']):
        rows = [x for x, i in enumerate(gi) if s['gts'][i]['cat'] == c]
        cols = [y for y, j in enumerate(pi) if s['preds'][j]['cat'] == c]
        sub = np.asfortranarray(sim[rows, :][:, cols])
        frames.append((g_ids[t], p_ids[t], sub))
    return frames, n_gt, n_pr


def hota(cats, seqs):
    per_class = []
    for c in cats:
        all_res = []
        for s in seqs:
            frames, n_gt, n_pr = class_frames(s, c)
            all_res.append(final(hota_seq(frames, n_gt, n_pr)))
        res = {}
        for f in ['TP', 'FN', 'FP']:
            res[f] = sum(r[f] for r in all_res)
        for f in ['AssRe', 'AssPr', 'AssA']:
            res[f] = sum(r[f] * r['TP'] for r in all_res) / np.maximum(1.0, res['TP'])
        res['LocA'] = np.maximum(1e-10, sum(r['LocA'] * r['TP'] for r in all_res)) / np.maximum(1e-10, res['TP'])
        per_class.append(final(res))
    return {f: np.mean(np.mean([r[f] for r in per_class], axis=0))
            for f in ['HOTA', 'DetA', 'DetRe', 'DetPr', 'AssA', 'AssRe', 'AssPr', 'LocA']}


def fsla(seqs):
    A = len(ALPHAS)
    tp = np.zeros((3, A))
    allc = np.zeros(3)
    for s in seqs:
        frames = s['frames']
        g_ids, n_gt = relabel([[s['gts'][i]['id'] for i in f[0]] for f in frames])
        p_ids, n_pr = relabel([[s['preds'][j]['id'] for j in f[1]] for f in frames])
        score, _, _ = alignment([(g_ids[t], p_ids[t], f[2]) for t, f in enumerate(frames)], n_gt, n_pr)
        rows, cols = linear_sum_assignment(-score) if n_gt and n_pr else (np.zeros(0, int), np.zeros(0, int))
        for t, (gi, pi, sim) in enumerate(frames):
            P = [s['preds'][j] for j in pi]
            Pm = [p['masks'][t] for p in P]
            Ps = [p['strings'][t] for p in P]
            pcls = [p['cat'] for p in P]
            nonempty = sum(1 for x in Ps if x != 'PPTl0')
            typ = min(len(gi), 2)
            allc[typ] += 1
            if set(s['gts'][i]['cat'] for i in gi) != set(pcls) or len(gi) != nonempty:
                continue
            for a, alpha in enumerate(ALPHAS):
                if typ == 0:
                    ok = True
                elif typ == 1:
                    q = gi[0]
                    ks = [k for k in range(len(cols)) if cols[k] == q]
                    ok = bool(ks) and ks[0] < len(Pm) and iou(s['gts'][q]['masks'][t], Pm[ks[0]]) > alpha
                else:
                    ok = True
                    for r, c in zip(rows, cols):
                        g = s['gts'][r]
                        if c >= len(Pm) or g['cat'] != pcls[c]:
                            ok = False
                            break
                        raw = g['masks'][t]
                        if raw is None:
                            good = Ps[c] == 'PPTl0'
                        else:
                            good = iou(raw, Pm[c]) > alpha
                        if not good:
                            ok = False
                            break
                if ok:
                    tp[typ, a] += 1
    out = {'FA': np.mean(tp.sum(0) / allc.sum())}
    with np.errstate(invalid='ignore', divide='ignore'):
        for typ, name in enumerate(['FAn', 'FAs', 'FAm']):
            out[name] = np.mean(tp[typ] / allc[typ])
            out[name + '_count'] = int(np.mean(tp[typ]))
            out[name + '_all'] = int(allc[typ])
    return out


def evaluate(gt, results):
    cats = [c['id'] for c in gt['categories']]
    seqs = load(gt, results)
    m = track_map(cats, seqs)
    h = hota(cats, seqs)
    f = fsla(seqs)
    out = {'AP_all': pct(m[('AP', 0)]), 'AP_s': pct(m[('AP', 1)]), 'AP_m': pct(m[('AP', 2)]), 'AP_l': pct(m[('AP', 3)]),
           'AR_all': pct(m[('AR', 0)])}
    for k in ['HOTA', 'DetA', 'DetRe', 'DetPr', 'AssA', 'AssRe', 'AssPr', 'LocA']:
        out[k] = pct(h[k])
    for k in ['FA', 'FAn', 'FAs', 'FAm']:
        out[k] = pct(f[k])
    for k in ['FAn_count', 'FAn_all', 'FAs_count', 'FAs_all', 'FAm_count', 'FAm_all']:
        out[k] = f[k]
    return {k: ('NaN' if isinstance(v, float) and np.isnan(v) else v) for k, v in out.items()}


def encode(flat):
    runs, cur, v = [], 0, False
    for x in flat:
        if bool(x) != v:
            runs.append(cur)
            cur, v = 0, bool(x)
        cur += 1
    runs.append(cur)
    s = ''
    for i, c in enumerate(runs):
        x = c - (runs[i - 2] if i > 2 else 0)
        more = True
        while more:
            b = x & 0x1f
            x >>= 5
            more = (x != -1) if (b & 0x10) else (x != 0)
            if more:
                b |= 0x20
            s += chr(b + 48)
    return runs, s


def random_case(rng, n):
    big = n % 5 == 0  # some cases at 720p (the FSLA empty-string test), with few tracks
    h, w = (720, 1280) if big else (int(rng.integers(20, 50)), int(rng.integers(20, 60)))
    cats = sorted(rng.choice(np.arange(1, 6), size=int(rng.integers(1, 4)), replace=False).tolist())
    videos, anns, results = [], [], []
    aid = int(rng.integers(0, 3))
    for v in range(1, int(rng.integers(1, 4)) + 1):
        T = int(rng.integers(1, 6))
        name = 'v%d' % rng.integers(0, 100)
        while any(x['file_names'][0].startswith(name + '/') for x in videos):
            name += 'x'
        videos.append({'id': v, 'file_names': ['%s/%d.jpg' % (name, t) for t in range(T)], 'height': h, 'width': w,
                       'length': T})
        n_obj = int(rng.integers(0, 4 if big else 10))
        objs = []
        for k in range(n_obj):
            x0, y0 = rng.integers(0, w - 2), rng.integers(0, h - 2)
            objs.append((int(x0), int(y0), int(rng.integers(x0 + 1, min(w, x0 + w // 2) + 1)),
                         int(rng.integers(y0 + 1, min(h, y0 + h // 2) + 1)), int(rng.choice(cats + [9]))))
        gt_masks = []
        for (x0, y0, x1, y1, c) in objs:
            if rng.random() < 0.2:
                continue
            segs, areas, flats = [], [], []
            for t in range(T):
                if rng.random() < 0.3:
                    segs.append(None)
                    areas.append(None)
                    flats.append(None)
                    continue
                dx = int(rng.integers(-2, 3))
                m = np.zeros((h, w), bool)
                m[max(0, y0):y1, max(0, x0 + dx):max(0, x1 + dx)] = True
                runs, _ = encode(m.flatten(order='F'))
                segs.append([{'size': [h, w], 'counts': runs}])
                areas.append(int(m.sum()))
                flats.append(m.flatten(order='F'))
            gt_masks.append((flats, c))
            anns.append({'id': aid, 'video_id': v, 'category_id': c if c != 9 else cats[0],
                         'iscrowd': int(rng.random() < 0.1), 'height': h, 'width': w, 'segmentations': segs,
                         'areas': areas})
            aid += int(rng.integers(1, 3))
        for flats, c in gt_masks:
            if rng.random() < 0.5:  # a near-copy of a GT track: exact masks, sometimes dropped, emptied or cut
                segs = []
                for f in flats:
                    r = rng.random()
                    if f is None or r < 0.1:
                        segs.append(None if rng.random() < 0.7 else {'size': [h, w], 'counts': encode(np.zeros(h * w, bool))[1]})
                    elif r < 0.25:
                        g = f.copy()
                        g[: int(rng.integers(0, h * w))] = False
                        segs.append({'size': [h, w], 'counts': encode(g)[1]})
                    else:
                        segs.append({'size': [h, w], 'counts': encode(f)[1]})
                results.append({'video_id': v, 'score': float(rng.choice([0.5, 0.9, rng.random()])),
                                'category_id': c if c != 9 and rng.random() < 0.9 else cats[0], 'segmentations': segs})
        for k in range(int(rng.integers(0, 3 if big else 6))):
            base = objs[int(rng.integers(0, len(objs)))] if objs and rng.random() < 0.8 else None
            segs = []
            style = rng.random()
            for t in range(T):
                r = rng.random()
                if r < 0.2:
                    segs.append(None if style < 0.5 else {'size': [h, w], 'counts': encode(np.zeros(h * w, bool))[1]})
                    continue
                m = np.zeros((h, w), bool)
                if base is not None and r < 0.85:
                    x0, y0, x1, y1, _ = base
                    j = [int(x) for x in rng.integers(-2, 3, size=4)]
                    m[max(0, y0 + j[0]):max(0, y1 + j[1]), max(0, x0 + j[2]):max(0, x1 + j[3])] = True
                elif r < 0.95:
                    x0, y0 = rng.integers(0, w - 1), rng.integers(0, h - 1)
                    m[y0:y0 + int(rng.integers(1, h)), x0:x0 + int(rng.integers(1, w))] = True
                segs.append({'size': [h, w], 'counts': encode(m.flatten(order='F'))[1]})
            score = float(rng.choice([0.5, 0.7, 0.9])) if rng.random() < 0.4 else float(rng.random())
            results.append({'video_id': v, 'score': score,
                            'category_id': int(base[4]) if base is not None and base[4] != 9 else int(rng.choice(cats + [7])),
                            'segmentations': segs})
    order = rng.permutation(len(results))
    results = [results[i] for i in order]
    gt = {'videos': videos, 'annotations': anns, 'categories': [{'id': c, 'name': 'c%d' % c} for c in cats]}
    return gt, results


if __name__ == '__main__':
    rng = np.random.default_rng(2026)
    cases = []
    for n in range(80):
        gt, results = random_case(rng, n)
        cases.append({'gt': gt, 'results': results, 'expected': evaluate(gt, results)})
    with open('src/test/resources/eval/crosscheck/cases.json', 'w') as f:
        json.dump(cases, f)
    print('wrote', len(cases), 'cases')
