package io.avisstream.avis.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The official result object: every float is {@code round(100 * mean, 2)} with numpy's rounding (half to even
 * on the scaled double, spec §3.4), NaN passes through; the FSLA counts are truncated means over alpha.
 */
public record Metrics(double apAll, double apS, double apM, double apL, double arAll, double hota, double detA,
        double detRe, double detPr, double assA, double assRe, double assPr, double locA, double fa, double faN,
        double faS, double faM, long faNCount, long faNAll, long faSCount, long faSAll, long faMCount, long faMAll) {

    static Metrics of(TrackMap.Result map, Hota.Fields h, Fsla.Result fsla) {
        long[][] tp = fsla.total().tp();
        long[] all = fsla.total().all();
        return new Metrics(pct(map.ap(0)), pct(map.ap(1)), pct(map.ap(2)), pct(map.ap(3)), pct(map.ar(0)),
                pct(NumpySum.mean(h.hota())), pct(NumpySum.mean(h.detA())), pct(NumpySum.mean(h.detRe())),
                pct(NumpySum.mean(h.detPr())), pct(NumpySum.mean(h.assA())), pct(NumpySum.mean(h.assRe())),
                pct(NumpySum.mean(h.assPr())), pct(NumpySum.mean(h.locA())), pct(NumpySum.mean(fsla.fa())),
                pct(NumpySum.mean(fsla.fa(0))), pct(NumpySum.mean(fsla.fa(1))), pct(NumpySum.mean(fsla.fa(2))),
                truncatedMean(tp[0]), all[0], truncatedMean(tp[1]), all[1], truncatedMean(tp[2]), all[2]);
    }

    /** {@code round(100 * m, 2)} as numpy does it. */
    static double pct(double mean) {
        double y = 100 * mean;
        return Math.rint(y * 100.0) / 100.0;
    }

    private static long truncatedMean(long[] perAlpha) {
        double[] v = new double[perAlpha.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = perAlpha[i];
        }
        return (long) NumpySum.mean(v);
    }

    /** The official keys in the official order (values Double or Long). */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AP_all", apAll);
        m.put("AP_s", apS);
        m.put("AP_m", apM);
        m.put("AP_l", apL);
        m.put("AR_all", arAll);
        m.put("HOTA", hota);
        m.put("DetA", detA);
        m.put("DetRe", detRe);
        m.put("DetPr", detPr);
        m.put("AssA", assA);
        m.put("AssRe", assRe);
        m.put("AssPr", assPr);
        m.put("LocA", locA);
        m.put("FA", fa);
        m.put("FAn", faN);
        m.put("FAs", faS);
        m.put("FAm", faM);
        m.put("FAn_count", faNCount);
        m.put("FAn_all", faNAll);
        m.put("FAs_count", faSCount);
        m.put("FAs_all", faSAll);
        m.put("FAm_count", faMCount);
        m.put("FAm_all", faMAll);
        return m;
    }
}
