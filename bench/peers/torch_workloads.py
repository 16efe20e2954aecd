"""PyTorch peers of the convlens bench workloads (timing peers: same architectures and sizes,
random weights).

Each entry of PEERS maps a peer name (a TypeScript case's ``peer.name``) to a setup function
called with the case's ``peer.args`` and ``device``; it builds the inputs once and returns a
zero-argument callable that does the work of one timed run and returns the result tensor(s).
A new workload adds its peer with one function and one PEERS entry.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

# convlens sizes a chunk of a long run to this many bytes on the CPU backends
# (kernel-lib/techniques/run-control.ts, memoryBudgetBytes); the peers chunk the same way.
CPU_CHUNK_BYTES = 128 * 2**20


def vgg_block(size, batch, width, device):
    """4 conv 3x3 (ReLU) + 2 max-pools, forward + gradient w.r.t. the input (bench/workloads/vgg-block.ts)."""
    g = torch.Generator().manual_seed(0)
    chans = [3, width, width, 2 * width, 2 * width]
    filters = [(torch.randn(chans[i + 1], chans[i], 3, 3, generator=g) * 0.1).to(device) for i in range(4)]
    x = torch.rand(batch, 3, size, size, generator=g).to(device)

    def run():
        xi = x.detach().requires_grad_(True)
        h = xi
        for i, f in enumerate(filters):
            h = F.relu(F.conv2d(h, f, padding=1))
            if i % 2 == 1:
                h = F.max_pool2d(h, 2, 2)
        (dx,) = torch.autograd.grad(h.sum(), xi)
        return dx

    return run


class GapCnn(nn.Module):
    """conv5x5/2 w → pool → conv3x3 2w → pool → conv3x3 4w → GAP → dense 10 (bench/workloads/attribution.ts)."""

    def __init__(self, width):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 5, stride=2, padding=2)
        self.conv2 = nn.Conv2d(width, 2 * width, 3, padding=1)
        self.last_conv = nn.Conv2d(2 * width, 4 * width, 3, padding=1)
        self.dense = nn.Linear(4 * width, 10)

    def features(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return F.relu(self.last_conv(h))

    def head(self, a):
        return self.dense(a.mean((2, 3)))  # logits

    def forward(self, x):
        return self.head(self.features(x))


def gap_cnn(width, device):
    torch.manual_seed(0)
    model = GapCnn(width).to(device).eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return model


def default_batch(model, size, factor=1):
    """convlens' defaultBatchSize: the chunk budget over the float32 bytes of one example's input and layer outputs."""
    total = [3 * size * size]
    hooks = [m.register_forward_hook(lambda _m, _i, out: total.append(out[0].numel()))
             for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    with torch.no_grad():
        a = model.features(torch.zeros(1, 3, size, size, device=next(model.parameters()).device))
        model.head(a)
    for h in hooks:
        h.remove()
    # the two max-pools and the global average pool are layers of their own in the Keras model
    c1, c2, c3 = total[1], total[2], total[3]
    per_example = sum(total) + c1 // 4 + c2 // 4 + c3 // (a.shape[2] * a.shape[3])
    return max(1, min(256, CPU_CHUNK_BYTES // (4 * per_example * factor)))


def occlusion(size, width, patch, stride, device):
    """Occlusion of one image: the class-0 probability with a gray patch at every grid position (784 copies)."""
    model = gap_cnn(width, device)
    image = torch.rand(1, 3, size, size, generator=torch.Generator().manual_seed(7)).to(device)
    centers = [min(k * stride + stride // 2, size - 1) for k in range((size + stride - 1) // stride)]
    pos = torch.arange(size, device=device)
    lo = torch.tensor([c - patch // 2 for c in centers], device=device)[:, None]
    masks = ((pos >= lo) & (pos < lo + patch)).float()  # [positions, size]
    cells = [(r, c) for r in range(len(centers)) for c in range(len(centers))]
    chunk = default_batch(model, size)
    delta = 0.5 - image

    def run():
        out = []
        with torch.no_grad():
            base = F.softmax(model(image), 1)[:, 0]
            for start in range(0, len(cells), chunk):
                rows = torch.tensor([r for r, _ in cells[start:start + chunk]], device=device)
                cols = torch.tensor([c for _, c in cells[start:start + chunk]], device=device)
                mask = masks[rows][:, None, :, None] * masks[cols][:, None, None, :]
                out.append(F.softmax(model(image + mask * delta), 1)[:, 0])
        return (torch.cat(out).reshape(len(centers), len(centers)), base)

    return run


def grad_cam(size, width, batch, device):
    """Grad-CAM at the last conv layer for the predicted class (as Captum's LayerGradCam), upsampled to the image."""
    model = gap_cnn(width, device)
    images = torch.rand(batch, 3, size, size, generator=torch.Generator().manual_seed(8)).to(device)

    def run():
        with torch.enable_grad():
            a = model.features(images).detach().requires_grad_(True)
            logits = model.head(a)
            score = logits.gather(1, logits.argmax(1, keepdim=True)).sum()
            (grads,) = torch.autograd.grad(score, a)
        cam = F.relu((grads.mean((2, 3), keepdim=True) * a.detach()).sum(1, keepdim=True))
        return F.interpolate(cam, size=(size, size), mode='bilinear', align_corners=False)[:, 0]

    return run


def smooth_grad(size, width, samples, noise, device):
    """SmoothGrad of one image: the mean input gradient of the predicted logit over noisy copies, max |.| over channels."""
    model = gap_cnn(width, device)
    image = torch.rand(1, 3, size, size, generator=torch.Generator().manual_seed(9)).to(device)
    chunk = default_batch(model, size, 3)
    gen = torch.Generator(device=device).manual_seed(1)

    def run():
        with torch.no_grad():
            target = model(image).argmax(1)
        sigma = noise * (image.max() - image.min())
        total = torch.zeros_like(image)
        for start in range(0, samples, chunk):
            n = min(chunk, samples - start)
            x = (image + sigma * torch.randn(n, 3, size, size, generator=gen, device=device)).requires_grad_(True)
            (g,) = torch.autograd.grad(model(x)[:, target].sum(), x)
            total += g.sum(0, keepdim=True)
        return (total / samples).abs().amax(1)

    return run


def feature_vis_net(device):
    """conv3x3 16, 16, pool, 32, 32, pool, GAP, dense 10, 'same' padding (bench/workloads/feature-vis.ts)."""
    torch.manual_seed(1)
    model = nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10),
    ).to(device).eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return model


def gaussian_blur(x, sigma):
    """Separable Gaussian blur with reflected borders (radius ⌈3σ⌉), per channel."""
    radius = max(1, math.ceil(3 * sigma))
    taps = torch.tensor([math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)) for i in range(2 * radius + 1)], device=x.device)
    taps = taps / taps.sum()
    c = x.shape[1]
    x = F.pad(x, (radius, radius, radius, radius), mode='reflect')
    x = F.conv2d(x, taps.view(1, 1, -1, 1).repeat(c, 1, 1, 1), groups=c)
    return F.conv2d(x, taps.view(1, 1, 1, -1).repeat(c, 1, 1, 1), groups=c)


def feature_vis(size, steps, device):
    """`steps` steps of optimizeImage's loop: roll by up to 2 px, class-3 score, gradient w.r.t. the
    image, L1-normalised SGD step (lr 0.02), L2 decay 1e-4, blur σ 0.5 every 4 steps, clamp to [0, 1]."""
    model = feature_vis_net(device)
    gen = torch.Generator().manual_seed(1)

    def run():
        x = torch.zeros(1, 3, size, size, device=device)
        for step in range(steps):
            dy, dx = [int(v) for v in torch.randint(-2, 3, (2,), generator=gen)]
            xi = x.clone().requires_grad_(True)
            score = model(torch.roll(xi + 0.5, (dy, dx), (2, 3)))[:, 3].sum()
            (g,) = torch.autograd.grad(score, xi)
            with torch.no_grad():
                x = x + 0.02 * g / (g.abs().mean() + 1e-8)
                x = x * (1 - 1e-4)
                if step % 4 == 0:
                    x = gaussian_blur(x, 0.5)
                x = (x + 0.5).clamp(0, 1) - 0.5
        return x

    return run


def blob_rows(n, d, device, seed=1):
    """`n` rows of `d` features: 10 Gaussian blobs (centres N(0, 5^2), spread 1) (bench/workloads/feature-space.ts)."""
    gen = torch.Generator().manual_seed(seed)
    centres = torch.randn(10, d, generator=gen) * 5
    x = centres[torch.arange(n) % 10] + torch.randn(n, d, generator=gen)
    return x.to(device)


def tsne_exact(n, d, iterations, device):
    """t-SNE as convlens's exact method: P over the 90 nearest neighbours (perplexity 30, batched
    bisection on beta), symmetrised; `iterations` steps of the exact gradient over all pairs with
    early exaggeration 12 (250 steps), momentum 0.5 / 0.8, gains (both restarted when exaggeration
    ends, as scikit-learn), lr max(n / 48, 50)."""
    x = blob_rows(n, d, device)
    k = min(n - 1, 90)

    def affinities():
        d2 = torch.cdist(x, x) ** 2
        d2.fill_diagonal_(float('inf'))
        dist, idx = torch.topk(d2, k, largest=False)
        dist = dist - dist[:, :1]
        beta = torch.ones(n, 1, device=device)
        lo = torch.zeros(n, 1, device=device)
        hi = torch.full((n, 1), float('inf'), device=device)
        log_u = math.log(30)
        for _ in range(100):
            e = torch.exp(-dist * beta)
            s = e.sum(1, keepdim=True)
            h = torch.log(s) + beta * (dist * e).sum(1, keepdim=True) / s
            flat = h > log_u
            lo = torch.where(flat, beta, lo)
            hi = torch.where(flat, hi, beta)
            beta = torch.where(flat, torch.where(torch.isinf(hi), beta * 2, (beta + hi) / 2), (beta + lo) / 2)
        e = torch.exp(-dist * beta)
        p = torch.zeros(n, n, device=device)
        p.scatter_(1, idx, e / e.sum(1, keepdim=True))
        return (p + p.T) / (2 * n)

    def run():
        with torch.no_grad():
            p = affinities()
            y = torch.randn(n, 2, generator=torch.Generator().manual_seed(1)).to(device) * 1e-4
            update = torch.zeros_like(y)
            gains = torch.ones_like(y)
            lr = max(n / 48, 50)
            for it in range(iterations):
                alpha, mom = (12.0, 0.5) if it < 250 else (1.0, 0.8)
                if it == 250:
                    update = torch.zeros_like(y)
                    gains = torch.ones_like(y)
                num = 1 / (1 + torch.cdist(y, y) ** 2)
                num.fill_diagonal_(0)
                w = (alpha * p - num / num.sum()) * num
                grad = 4 * (w.sum(1, keepdim=True) * y - w @ y)
                downhill = update * grad < 0
                gains = torch.where(downhill, gains + 0.2, gains * 0.8).clamp(min=0.01)
                update = mom * update - lr * gains * grad
                y = y + update
                y = y - y.mean(0)
            return y

    return run


def pca(n, d, k, device):
    """Top-k principal components of n x d (torch.pca_lowrank, q = k + 10, 4 power iterations) and the projection."""
    x = blob_rows(n, d, device) * torch.linspace(2, 0.1, d, device=device)

    def run():
        u, s, v = torch.pca_lowrank(x, q=k + 10, center=True, niter=4)
        return (x - x.mean(0)) @ v[:, :k]

    return run


def knn(n, d, k, device):
    """The k nearest rows (Euclidean, self excluded) of every row of n x d: cdist + topk in chunks of rows."""
    x = blob_rows(n, d, device)
    rows = max(1, (4 * 1024 * 1024) // n)

    def run():
        out = []
        for start in range(0, n, rows):
            dist = torch.cdist(x[start:start + rows], x)
            dist[torch.arange(dist.shape[0]), torch.arange(start, start + dist.shape[0])] = float('inf')
            out.append(torch.topk(dist, k, largest=False).indices)
        return torch.cat(out)

    return run


def dissection(n, size, layer, device):
    """Network dissection of the shapes-cnn architecture's conv3 (random weights) over n images with
    random object / colour / texture label maps and scene labels: pass 1 streams a running top-k
    per unit (exact top-0.5 % threshold), pass 2 upsamples (bilinear), thresholds and counts
    intersections with one-hot matrix products, as convlens does; batches of 64."""
    torch.manual_seed(0)
    conv = lambda i, o, s=1: nn.Sequential(nn.Conv2d(i, o, 3, s, 1), nn.ReLU())
    model = nn.Sequential(conv(3, 16, 2), nn.MaxPool2d(2), conv(16, 32), nn.MaxPool2d(2), conv(32, 64)).to(device).eval()
    g = torch.Generator().manual_seed(3)
    images = torch.rand(n, 3, size, size, generator=g).to(device)
    pixel = [torch.randint(0, k, (n, size, size), generator=g).to(device) for k in (8, 11, 6)]
    scenes = torch.randint(0, 6, (n,), generator=g).to(device)
    batch, q = 64, 0.005

    def run():
        with torch.no_grad():
            kept = None
            for s in range(0, n, batch):
                a = model(images[s:s + batch])  # [b, U, h, w]
                rows = a.permute(1, 0, 2, 3).reshape(a.shape[1], -1)
                kept = rows if kept is None else torch.cat([kept, rows], 1)
                total = n * a.shape[2] * a.shape[3]
                keep = total - math.floor((1 - q) * (total - 1))
                kept = kept.topk(min(keep, kept.shape[1]), 1).values
            thresholds = kept[:, -1]
            inter = 0
            for s in range(0, n, batch):
                a = F.interpolate(model(images[s:s + batch]), size=(size, size), mode='bilinear', align_corners=False)
                fire = (a > thresholds[None, :, None, None]).float().permute(0, 2, 3, 1).reshape(-1, a.shape[1])
                labels = torch.cat([F.one_hot(p[s:s + batch].reshape(-1), k).float() for p, k in zip(pixel, (8, 11, 6))], 1)
                unit_pix = fire.reshape(a.shape[0], -1, a.shape[1]).sum(1)
                inter = inter + labels.t() @ fire
                inter = inter + (F.one_hot(scenes[s:s + batch], 6).float().t() @ unit_pix).sum()
        return inter

    return run


def max_patches(images, chunk, layer, k, batch, device):
    """maxActivatingPatches of the shapes-cnn architecture (random weights) over `images` images of
    64 px (a `chunk`-image tensor streamed images / chunk times, bench/workloads/units.ts): per batch
    a top-k per unit over (image, row, column), merged with the running top-k, and the winners'
    receptive-field crops gathered from the zero-padded batch, as convlens does."""
    torch.manual_seed(0)
    conv = lambda i, o, s=1: nn.Sequential(nn.Conv2d(i, o, 3, s, 1), nn.ReLU())
    scale = lambda x: x * 2 - 1
    stack = {'conv1': [conv(3, 16, 2)], 'conv3': [conv(3, 16, 2), nn.MaxPool2d(2), conv(16, 32), nn.MaxPool2d(2), conv(32, 64)]}[layer]
    model = nn.Sequential(*stack).to(device).eval()
    # receptive field (size, stride, top-left of unit 0) of the layer, as receptiveFieldBox gives it
    size, stride, origin = {'conv1': (3, 2, 0), 'conv3': (33, 8, -12)}[layer]
    g = torch.Generator().manual_seed(3)
    data = torch.rand(chunk, 3, 64, 64, generator=g).to(device)
    offsets = torch.arange(size, device=device)

    def run():
        with torch.no_grad():
            best_v = best_i = best_p = None
            start = 0
            for _ in range(images // chunk):
                for s in range(0, chunk, batch):
                    x = data[s:s + batch]
                    a = model(scale(x))
                    b, u, h, w = a.shape
                    v, i = a.permute(1, 0, 2, 3).reshape(u, -1).topk(min(k, b * h * w), 1)
                    img, cell = i // (h * w), i % (h * w)
                    top = (cell // w) * stride + origin + size
                    left = (cell % w) * stride + origin + size
                    padded = F.pad(x, (size, size, size, size))
                    rows = (top.reshape(-1, 1) + offsets)[:, :, None]
                    cols = (left.reshape(-1, 1) + offsets)[:, None, :]
                    p = padded[img.reshape(-1)[:, None, None], :, rows, cols].reshape(u, -1, size, size, 3)
                    i = i + start * h * w
                    if best_v is not None:
                        v, order = torch.cat([best_v, v], 1).topk(k, 1)
                        i = torch.cat([best_i, i], 1).gather(1, order)
                        p = torch.cat([best_p, p], 1)[torch.arange(u, device=device)[:, None], order]
                    best_v, best_i, best_p = v, i, p
                    start += b
        return best_v, best_p

    return run


PEERS = {
    'max_patches': max_patches,
    'dissection': dissection,
    'vgg_block': vgg_block,
    'occlusion': occlusion,
    'grad_cam': grad_cam,
    'smooth_grad': smooth_grad,
    'feature_vis': feature_vis,
    'tsne_exact': tsne_exact,
    'pca': pca,
    'knn': knn,
}
