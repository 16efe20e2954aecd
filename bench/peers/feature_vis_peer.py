"""PyTorch peer of the `feature-vis` workload (bench/workloads/feature-vis.ts): the same net
(conv3x3 16, 16, pool, 32, 32, pool, GAP, dense 10; 'same' padding) and the same optimization step:
roll by up to 2 px, class-3 score, gradient w.r.t. the image, L1-normalised SGD step (lr 0.02),
L2 decay 1e-4, Gaussian blur sigma 0.5 every 4 steps (reflected borders), clamp to [0, 1].

  /usr/bin/python3 bench/peers/feature_vis_peer.py [--steps 10] [--reps 5] [--threads N]

Prints the median seconds per run of STEPS steps, and steps per second, at 64 and 224 px.
"""
import argparse
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def net():
    torch.manual_seed(1)
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10),
    ).eval()


def gaussian(sigma):
    radius = max(1, math.ceil(3 * sigma))
    taps = torch.tensor([math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)) for i in range(2 * radius + 1)])
    return taps / taps.sum(), radius


def blur(x, sigma):
    taps, r = gaussian(sigma)
    c = x.shape[1]
    x = F.pad(x, (r, r, r, r), mode="reflect")
    x = F.conv2d(x, taps.view(1, 1, -1, 1).repeat(c, 1, 1, 1), groups=c)
    return F.conv2d(x, taps.view(1, 1, 1, -1).repeat(c, 1, 1, 1), groups=c)


def run(model, size, steps, gen):
    x = torch.zeros(1, 3, size, size)
    for step in range(steps):
        dy, dx = [int(v) for v in torch.randint(-2, 3, (2,), generator=gen)]
        xi = x.clone().requires_grad_(True)
        score = model(torch.roll(xi + 0.5, (dy, dx), (2, 3)))[:, 3].sum()
        (g,) = torch.autograd.grad(score, xi)
        with torch.no_grad():
            x = x + 0.02 * g / (g.abs().mean() + 1e-8)
            x = x * (1 - 1e-4)
            if step % 4 == 0:
                x = blur(x, 0.5)
            x = (x + 0.5).clamp(0, 1) - 0.5
    return x


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--threads", type=int, default=0)
    a = p.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    model = net()
    for p_ in model.parameters():
        p_.requires_grad_(False)
    gen = torch.Generator().manual_seed(1)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for size in (64, 224):
        run(model, size, a.steps, gen)
        times = []
        for _ in range(a.reps):
            t = time.perf_counter()
            run(model, size, a.steps, gen)
            times.append(time.perf_counter() - t)
        m = statistics.median(times)
        print(f"{size} px, {a.steps} steps: median {m * 1000:.1f} ms, {a.steps / m:.1f} steps/s")


if __name__ == "__main__":
    main()
