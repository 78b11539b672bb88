# Reference vectors for NumpySum and LinearSumAssignment, generated with numpy/scipy (see the test's javadoc).
import json, numpy as np, scipy
from scipy.optimize import linear_sum_assignment
rng = np.random.default_rng(11)
lsa = []
for n in range(600):
    r, c = int(rng.integers(1, 8)), int(rng.integers(1, 8))
    if n % 3 == 0:
        m = rng.choice([0.0, 1/3, 0.5, 1.0, 0.25], size=(r, c))
    elif n % 3 == 1:
        m = rng.choice([0.0, 1.0], size=(r, c))
    else:
        m = rng.random((r, c))
    m = -m
    rows, cols = linear_sum_assignment(m)
    lsa.append({"cost": m.tolist(), "rows": rows.tolist(), "cols": cols.tolist()})
sums = []
for n in list(range(0, 20)) + [31, 64, 100, 127, 128, 129, 200, 255, 256, 257, 400, 1000, 5000]:
    a = rng.random(n) * 10 ** rng.uniform(-3, 3, n)
    sums.append({"values": [float(x).hex() for x in a], "sum": float(np.sum(a)).hex(), "mean": float(np.mean(a)).hex() if n else "nan"})
json.dump({"numpy": np.__version__, "scipy": scipy.__version__, "lsa": lsa, "sums": sums}, open("src/test/resources/eval/numerics-reference.json", "w"))
