"""numpy's 512x512 matmul alone (bench/run.ts runs it under this machine's OpenBLAS overrides, the kernel choice
gradlab runs with, next to the unconstrained figure from numpy_peer.py). Prints {"matmul512": ms per call}."""
import json
import numpy as np
from peer_timing import timeit

rng = np.random.default_rng(6)
M1 = rng.standard_normal((512, 512)); M2 = rng.standard_normal((512, 512))
print(json.dumps({"matmul512": timeit(lambda: M1 @ M2)}))
