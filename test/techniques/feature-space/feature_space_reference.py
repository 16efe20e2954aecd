"""Float64 reference for convlens's feature-space techniques, independent of tfjs.

Usage: /usr/bin/python3 feature_space_reference.py < REQUESTS.json > ANSWERS.json
(Debian's python3-torch). The input is a list of requests {"op": ..., ...} (arrays as nested
lists), the output the list of answers in the same order (one process: torch imports once).

Ops:
  pca       SVD of the centred data (torch.linalg.svd, float64): components, projection, variances
  knn       brute force torch.cdist (l2) or 1 - cosine similarity (eps 1e-8): sorted distances
  tsne_p    van der Maaten's x2p (tsne.py): per row, bisection on beta over squared Euclidean
            distances to the row's K nearest neighbours (K = N - 1: all points) until the entropy
            is log(perplexity) to 1e-12 nats, then P = (P + P^T) / 2N, dense
  tsne_grad KL(P || Q) and its gradient 4 sum_j (a p_ij - q_ij)(1 + |y_i - y_j|^2)^-1 (y_i - y_j)
            (the paper's closed form), checked here against torch.autograd of the KL
"""
import json
import math
import sys

import torch

torch.set_default_dtype(torch.float64)


def pca(req):
    x = torch.tensor(req["x"], dtype=torch.float64)
    k = req["k"]
    xc = x - x.mean(0)
    u, s, vt = torch.linalg.svd(xc, full_matrices=False)
    var = s**2 / max(1, x.shape[0] - 1)
    return {
        "components": vt[:k].tolist(),
        "projected": (xc @ vt[:k].T).tolist(),
        "variance": var[:k].tolist(),
        "ratio": (var[:k] / var.sum()).tolist(),
    }


def knn(req):
    x = torch.tensor(req["x"], dtype=torch.float64)
    q = torch.tensor(req["q"], dtype=torch.float64)
    if req["metric"] == "cosine":
        d = 1 - torch.nn.functional.cosine_similarity(q[:, None, :], x[None, :, :], dim=2, eps=1e-8)
    else:
        d = torch.cdist(q, x)
    for i, s in enumerate(req.get("self", [])):
        d[i, s] = math.inf
    v, idx = torch.sort(d, dim=1)
    k = req["k"]
    return {"distances": v[:, :k].tolist(), "indices": idx[:, :k].tolist()}


def tsne_p(req):
    x = torch.tensor(req["x"], dtype=torch.float64)
    n = x.shape[0]
    k = req["neighbors"]
    log_u = math.log(req["perplexity"])
    d2 = torch.cdist(x, x) ** 2
    d2.fill_diagonal_(math.inf)
    p = torch.zeros(n, n)
    for i in range(n):
        dist, idx = torch.sort(d2[i])
        dist, idx = dist[:k], idx[:k]
        beta, lo, hi = 1.0, 0.0, math.inf
        for _ in range(500):
            e = torch.exp(-(dist - dist[0]) * beta)
            s = e.sum()
            h = math.log(s) + beta * float(((dist - dist[0]) * e).sum() / s)
            if abs(h - log_u) < 1e-12:
                break
            if h > log_u:
                lo = beta
                beta = beta * 2 if hi == math.inf else (beta + hi) / 2
            else:
                hi = beta
                beta = (beta + lo) / 2
        p[i, idx] = e / s
    p = (p + p.T) / (2 * n)
    return {"p": p.tolist()}


def kl_of(p, y):
    n = y.shape[0]
    w = 1 / (1 + torch.cdist(y, y) ** 2)
    w = w * (1 - torch.eye(n))
    q = w / w.sum()
    mask = p > 0
    return (p[mask] * torch.log(p[mask] / q[mask])).sum(), w, q


def tsne_grad(req):
    p = torch.tensor(req["p"], dtype=torch.float64)
    p = (p + p.T) / 2
    p = p / p.sum()  # the closed form assumes a symmetric P summing to 1 (float32 input is only close)
    y = torch.tensor(req["y"], dtype=torch.float64, requires_grad=True)
    a = req.get("exaggeration", 1.0)
    kl, w, q = kl_of(p, y)
    diff = y[:, None, :] - y[None, :, :]
    grad = 4 * (((a * p - q) * w)[:, :, None] * diff).sum(1)
    # The closed form of the unexaggerated gradient must be the KL's derivative.
    (auto,) = torch.autograd.grad(kl, y)
    closed = 4 * (((p - q) * w)[:, :, None] * diff).sum(1)
    assert torch.allclose(auto, closed, rtol=1e-9, atol=1e-12), "closed-form gradient != autograd"
    return {"kl": float(kl), "gradient": grad.detach().tolist()}


OPS = {"pca": pca, "knn": knn, "tsne_p": tsne_p, "tsne_grad": tsne_grad}

if __name__ == "__main__":
    json.dump([OPS[r["op"]](r) for r in json.load(sys.stdin)], sys.stdout)
