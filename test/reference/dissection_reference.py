"""Brute-force float64 reference for network dissection (Bau et al. 2017), independent of convlens.

Usage: /usr/bin/python3 dissection_reference.py REQUEST.json

The request names float32 files written by the test: activations [N, h, w, U], and per category
either pixel masks [N, H, W, K] or image-level labels [N, K], plus the quantile. The answer,
RESULT.json beside the request, holds, from the paper's definitions:
  thresholds  T_k = torch.quantile(a_k over all images and positions, 1 - quantile) (linear)
  iou         IoU(k, c) = sum_x |M_k(x) & L_c(x)| / sum_x |M_k(x) | L_c(x)|, with
              M_k(x) = interpolate(a_k(x), (H, W), bilinear, align_corners=False) > T_k,
              the sums over the images with at least one label of c's category,
              an image-level label covering its whole image.
Loops run image by image, unit by unit and concept by concept with explicit boolean sets.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def load(folder, spec):
    a = np.fromfile(os.path.join(folder, spec["file"]), dtype=np.float32).reshape(spec["shape"])
    return torch.from_numpy(a.astype(np.float64))


def main(request_file):
    folder = os.path.dirname(os.path.abspath(request_file))
    req = json.load(open(request_file))
    acts = load(folder, req["activations"])  # [N, h, w, U]
    N, h, w, U = acts.shape
    H, W = req["maskSize"]
    q = req["quantile"]
    thresholds = [torch.quantile(acts[..., u].reshape(-1), 1 - q).item() for u in range(U)]
    up = F.interpolate(acts.permute(0, 3, 1, 2), size=(H, W), mode="bilinear", align_corners=False)  # [N, U, H, W]
    unit_masks = [[(up[i, u] > thresholds[u]) for u in range(U)] for i in range(N)]
    iou = []  # [U][concepts]
    columns = []
    for cat in req["categories"]:
        labels = load(folder, cat["masks"])
        if labels.dim() == 2:  # image-level: the label covers the image
            labels = labels[:, None, None, :].expand(N, H, W, labels.shape[1])
        annotated = [bool(labels[i].any()) for i in range(N)]
        for c in range(labels.shape[3]):
            columns.append((cat["name"], c, labels, annotated))
    for u in range(U):
        row = []
        for _, c, labels, annotated in columns:
            inter = 0
            union = 0
            for i in range(N):
                if not annotated[i]:
                    continue
                m = unit_masks[i][u]
                l = labels[i, :, :, c] > 0.5
                inter += int((m & l).sum())
                union += int((m | l).sum())
            row.append(inter / union if union > 0 else 0.0)
        iou.append(row)
    out = os.path.join(folder, "RESULT.json")
    json.dump({"thresholds": thresholds, "iou": iou}, open(out, "w"))


if __name__ == "__main__":
    main(sys.argv[1])
