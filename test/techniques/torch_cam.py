"""Reference CAM-family maps computed with PyTorch (an independent implementation).

Reads JSON from stdin: a list of cases, each a small sequential conv net (weights in tfjs
layouts), images NHWC, the feature layer index and the class per image. Writes JSON: per case the
Grad-CAM and Grad-CAM++ maps (before the ReLU) at that layer, as pytorch-grad-cam computes them
from the gradient of the class score before the softmax. (One process for every case: importing
torch is the slow part.)
"""
import json
import sys

import torch

torch.set_default_dtype(torch.float64)


def tensor(values, shape):
    return torch.tensor(values, dtype=torch.float64).reshape(shape)


def case(spec):
    layers = []
    for layer in spec["layers"]:
        kind = layer["type"]
        if kind == "conv":
            kh, kw, cin, cout = layer["kernelShape"]
            conv = torch.nn.Conv2d(cin, cout, (kh, kw), padding=(kh // 2, kw // 2))
            # tfjs [kh, kw, in, out] -> torch [out, in, kh, kw]
            conv.weight.data = tensor(layer["kernel"], (kh, kw, cin, cout)).permute(3, 2, 0, 1).contiguous()
            conv.bias.data = tensor(layer["bias"], (cout,))
            layers.append(("conv", conv, layer.get("activation")))
        elif kind == "maxpool":
            layers.append(("pool", torch.nn.MaxPool2d(layer["size"]), None))
        elif kind == "flatten":
            layers.append(("flatten", None, None))
        elif kind == "dense":
            nin, nout = layer["kernelShape"]
            dense = torch.nn.Linear(nin, nout)
            dense.weight.data = tensor(layer["kernel"], (nin, nout)).t().contiguous()
            dense.bias.data = tensor(layer["bias"], (nout,))
            layers.append(("dense", dense, None))  # logits: the final softmax is left out

    x = tensor(spec["images"], spec["shape"]).permute(0, 3, 1, 2)  # NHWC -> NCHW
    features = None
    h = x
    for i, (kind, module, activation) in enumerate(layers):
        if kind == "flatten":
            h = h.permute(0, 2, 3, 1).reshape(h.shape[0], -1)  # tfjs flattens channels-last
        else:
            h = module(h)
        if activation == "relu":
            h = torch.relu(h)
        elif activation == "sigmoid":
            h = torch.sigmoid(h)
        if i == spec["layer"]:
            features = h
            features.retain_grad()
    logits = h
    classes = torch.tensor(spec["classes"])
    logits[torch.arange(logits.shape[0]), classes].sum().backward()

    A = features.detach()
    g = features.grad.detach()
    grad_cam = (g.mean(dim=(2, 3), keepdim=True) * A).sum(dim=1)
    g2 = g ** 2
    g3 = g2 * g
    alpha = g2 / (2 * g2 + A.sum(dim=(2, 3), keepdim=True) * g3 + 1e-7)
    alpha = torch.where(g != 0, alpha, torch.zeros_like(alpha))
    weights = (alpha * torch.relu(g)).sum(dim=(2, 3), keepdim=True)
    grad_cam_pp = (weights * A).sum(dim=1)
    return {"gradCam": grad_cam.flatten().tolist(), "gradCamPlusPlus": grad_cam_pp.flatten().tolist()}


json.dump([case(spec) for spec in json.load(sys.stdin)], sys.stdout)
