"""PyTorch reference for the feature-visualization gradients (run with Debian's /usr/bin/python3).

Reads a JSON request: the shapes-cnn weights (Keras layouts), an input batch x and a style image
(NHWC), the class, the style layers and weights. Rebuilds the network from its definition
(TensorFlow 'same' padding: the extra row/column goes at the bottom/right), and prints JSON with
  - the class score (before softmax) of every image and its gradient with respect to x,
  - the Gram loss  sum_l w_l * ||G_l(x) - G_l(style)||^2 / ||G_l(style)||^2  per image,
    G = F^T F / (h w), and its gradient with respect to x.
"""
import json
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def tensor(a):
    return torch.tensor(a, dtype=torch.float64)


def same_pad(x, k, stride):
    h, w = x.shape[2], x.shape[3]
    def amount(n):
        out = -(-n // stride)
        return max((out - 1) * stride + k - n, 0)
    ph, pw = amount(h), amount(w)
    return F.pad(x, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2))


def forward(req, x):
    """x: NCHW. Returns logits and the outputs of every layer by name."""
    W = req["weights"]
    outs = {}
    h = x * 2 - 1
    outs["scale"] = h
    for name, stride in (("conv1", 2), ("conv2", 1), ("conv3", 1)):
        k = tensor(W[name + "/kernel"]).permute(3, 2, 0, 1)
        b = tensor(W[name + "/bias"])
        h = F.relu(F.conv2d(same_pad(h, k.shape[2], stride), k, b, stride=stride))
        outs[name] = h
        if name in ("conv1", "conv2"):
            h = F.max_pool2d(h, 2, 2)
            outs["pool" + name[-1]] = h
    g = h.mean(dim=(2, 3))
    logits = g @ tensor(W["probs/kernel"]) + tensor(W["probs/bias"])
    return logits, outs


def gram(f):
    n, c, hh, ww = f.shape
    m = f.reshape(n, c, hh * ww)
    return m @ m.transpose(1, 2) / (hh * ww)


def main():
    req = json.load(open(sys.argv[1]))
    x = tensor(req["x"]).permute(0, 3, 1, 2).requires_grad_(True)
    style = tensor(req["style"]).permute(0, 3, 1, 2)
    logits, _ = forward(req, x)
    score = logits[:, req["class"]]
    (gscore,) = torch.autograd.grad(score.sum(), x)
    _, souts = forward(req, style)
    targets = {l: gram(souts[l]).detach() for l in req["layers"]}
    x2 = x.detach().clone().requires_grad_(True)
    _, outs = forward(req, x2)
    loss = 0
    for l, w in zip(req["layers"], req["layerWeights"]):
        a = targets[l]
        loss = loss + w * ((gram(outs[l]) - a) ** 2).sum(dim=(1, 2)) / (a ** 2).sum(dim=(1, 2))
    (gloss,) = torch.autograd.grad(loss.sum(), x2)
    print(json.dumps({
        "score": score.tolist(),
        "scoreGrad": gscore.permute(0, 2, 3, 1).reshape(-1).tolist(),
        "gramLoss": loss.tolist(),
        "gramGrad": gloss.permute(0, 2, 3, 1).reshape(-1).tolist(),
    }))


if __name__ == "__main__":
    main()
