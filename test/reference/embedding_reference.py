"""scikit-learn t-SNE and umap-learn UMAP on the data convlens embeds, for test/reference/tsne.test.ts.

Usage: /usr/bin/python3 embedding_reference.py < REQUEST.json > ANSWER.json
(Debian's python3-sklearn 1.2 and umap-learn 0.5). The request:
  {"x": [[...]], "labels": [...], "init": [[x, y], ...],
   "tsne": {"perplexity", "iterations", "exaggeration", "perturbations", "noise"},
   "umap": {"nNeighbors", "minDist", "nEpochs", "seed", "x", "labels"},
   "ours": {"name": {"y": [[x, y], ...], "data": "tsne" | "umap"}, ...}}
(UMAP runs on its own data, umap.x and umap.labels.)
The answer: for each t-SNE method ('exact', 'barnes_hut') the run from the given start and the
KL divergences of `perturbations` runs from starts perturbed by `noise` (relative, normal): the
spread that float rounding alone produces after a few hundred steps; for UMAP one run; and for
every embedding (sklearn's, umap-learn's and convlens's from "ours") the 10-NN preservation,
sklearn.manifold.trustworthiness and the leave-one-out 10-NN class accuracy (majority vote, ties
to the nearest), all computed here in float64.
"""
import json
import os
import sys
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore")

from sklearn import __version__ as sklearn_version  # noqa: E402
from sklearn.manifold import TSNE, trustworthiness  # noqa: E402
from sklearn.neighbors import NearestNeighbors  # noqa: E402

K = 10


def neighbours(x, k):
    return NearestNeighbors(n_neighbors=k + 1).fit(x).kneighbors(x, return_distance=False)[:, 1:]


def preservation(x, y, k=K):
    a, b = neighbours(x, k), neighbours(y, k)
    return float(np.mean([len(set(a[i]) & set(b[i])) for i in range(len(x))]) / k)


def knn_accuracy(y, labels, k=K):
    nb = neighbours(y, k)
    right = 0
    for i, ids in enumerate(nb):
        votes = {}
        for j in ids:
            votes[labels[j]] = votes.get(labels[j], 0) + 1
        best = labels[ids[0]]
        for label, count in votes.items():
            if count > votes[best]:
                best = label
        right += best == labels[i]
    return right / len(y)


def quality(x, y, labels):
    return {
        "preservation": preservation(x, y),
        "trustworthiness": float(trustworthiness(x, y, n_neighbors=K)),
        "knnAccuracy": knn_accuracy(y, labels),
    }


def tsne(x, init, opts, method):
    t = TSNE(
        n_components=2,
        perplexity=opts["perplexity"],
        early_exaggeration=opts["exaggeration"],
        learning_rate="auto",
        n_iter=opts["iterations"],
        init=init,
        method=method,
        random_state=0,
    )
    y = t.fit_transform(x)
    return y, float(t.kl_divergence_), float(t.learning_rate_)


def main():
    req = json.load(sys.stdin)
    x = np.array(req["x"], dtype=np.float64)
    labels = list(req["labels"])
    init = np.array(req["init"], dtype=np.float64)
    out = {"sklearn": sklearn_version, "tsne": {}, "ours": {}}
    opts = req["tsne"]
    rng = np.random.default_rng(0)
    for method in ("exact", "barnes_hut"):
        t0 = time.time()
        y, kl, lr = tsne(x, init, opts, method)
        spread = [tsne(x, init * (1 + opts["noise"] * rng.standard_normal(init.shape)), opts, method)[1] for _ in range(opts["perturbations"])]
        out["tsne"][method] = {"kl": kl, "klPerturbed": spread, "learningRate": lr, "seconds": time.time() - t0, **quality(x, y, labels)}
    if "umap" in req:
        os.environ.setdefault("NUMBA_CACHE_DIR", os.path.join(os.environ.get("TMPDIR", "/tmp"), "convlens-numba-cache"))
        import umap

        u = req["umap"]
        ux, ulabels = np.array(u["x"], dtype=np.float64), list(u["labels"])
        t0 = time.time()
        y = umap.UMAP(n_neighbors=u["nNeighbors"], min_dist=u["minDist"], n_epochs=u["nEpochs"], random_state=u["seed"]).fit_transform(ux.astype(np.float32))
        out["umap"] = {"seconds": time.time() - t0, **quality(ux, y.astype(np.float64), ulabels)}
    for name, ours in req.get("ours", {}).items():
        data = (np.array(req["umap"]["x"], dtype=np.float64), list(req["umap"]["labels"])) if ours["data"] == "umap" else (x, labels)
        out["ours"][name] = quality(data[0], np.array(ours["y"], dtype=np.float64), data[1])
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
