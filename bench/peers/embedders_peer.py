"""scikit-learn t-SNE and umap-learn UMAP on the data of bench/js-embedders.ts, in the same run.

    /usr/bin/python3 bench/peers/embedders_peer.py < REQUEST.json > ANSWER.json

Request: {"x": [[...]], "iterations": 500, "perplexity": 30, "exactMax": 2000}. Runs, one thread
(OMP_NUM_THREADS=1, NUMBA_NUM_THREADS=1 set by the caller, as convlens's wasm 1 thread):
scikit-learn TSNE barnes_hut, TSNE exact (only up to `exactMax` points: O(N^2)), both with
learning_rate 'auto', init 'pca', early exaggeration 12; umap-learn UMAP (15 neighbours,
min_dist 0.1, its default epochs) after a 100-point warm-up fit that compiles its numba code
(timed apart as `jit`). Answer: a list of {"name", "wall", "cpu", "coords"} (seconds; CPU of the
process, all threads) and the versions.
"""
import json
import os
import sys
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore")


def timed(name, run):
    w0, c0 = time.perf_counter(), time.process_time()
    y = run()
    return {"name": name, "wall": time.perf_counter() - w0, "cpu": time.process_time() - c0, "coords": np.asarray(y, dtype=np.float64).tolist()}


def main():
    req = json.load(sys.stdin)
    x = np.array(req["x"], dtype=np.float64)
    n = len(x)
    import sklearn
    from sklearn.manifold import TSNE

    out = {"versions": {"sklearn": sklearn.__version__}, "runs": []}

    def tsne(method):
        return TSNE(perplexity=req["perplexity"], n_iter=req["iterations"], learning_rate="auto", init="pca", method=method, random_state=1).fit_transform(x)

    out["runs"].append(timed(f"scikit-learn {sklearn.__version__} TSNE barnes_hut, {req['iterations']} it", lambda: tsne("barnes_hut")))
    if n <= req["exactMax"]:
        out["runs"].append(timed(f"scikit-learn {sklearn.__version__} TSNE exact, {req['iterations']} it", lambda: tsne("exact")))
    os.environ.setdefault("NUMBA_CACHE_DIR", os.path.join(os.environ.get("TMPDIR", "/tmp"), "convlens-numba-cache"))
    t0 = time.perf_counter()
    import umap

    umap.UMAP(n_neighbors=15, random_state=1).fit_transform(x[:100].astype(np.float32))
    out["versions"]["umapJitSeconds"] = time.perf_counter() - t0
    out["runs"].append(timed("umap-learn 0.5 UMAP (its NN-descent kNN, default epochs)", lambda: umap.UMAP(n_neighbors=15, min_dist=0.1, random_state=1).fit_transform(x.astype(np.float32))))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
