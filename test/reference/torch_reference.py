"""PyTorch reference for convlens: rebuilds a tfjs LayersModel from model.json + weights.bin in
float64 and computes attribution maps from the papers' definitions, independently of tfjs.

Usage: /usr/bin/python3 torch_reference.py REQUEST.json   (Debian's python3-torch, CPU)

The request (written by test/reference/torch-reference.ts) names the model folder, the images
(Fashion-MNIST test images read here from the idx files, or a float32 file written by the caller),
the target class per image and the cases {id, method, options}. The answer, RESULT.json beside the
request, holds the logits and, per case, the map's shape and a float64 file with its values.

Methods (one function each in METHODS; a later technique adds its own):
  logits               scores before the final softmax
  saliency             Simonyan et al. 2014: max over channels of |d score / d pixel|
  integratedGradients  Sundararajan et al. 2017: (x - x') * mean over alpha_k = (k + 1/2)/m of
                       d score(x' + alpha_k (x - x')) / dx, max |.| over channels
  occlusion            Zeiler & Fergus 2014: P(target) with a patch of `fill` at each grid position
                       (cell i covers [i*stride, (i+1)*stride), its patch is centred at
                       i*stride + stride//2 and covers [centre - patch//2, centre - patch//2 + patch))
  cam                  Zhou et al. 2016: sum_k w_kc A_k at the last conv layer, upsampled
  gradCam              Selvaraju et al. 2017: ReLU(sum_k alpha_k A_k), alpha_k = spatial mean of
                       d score / d A_k, at `layer`, upsampled
  guidedBackprop       Springenberg et al. 2015: ReLUs pass dy * [x > 0] * [dy > 0]
  deconvnet            Zeiler & Fergus 2014: ReLUs pass max(dy, 0); max-unpooling by the switches
  guidedGradCam        guided backprop * upsampled Grad-CAM at the last conv layer
  inputGradient        d score / d pixel, signed, [N, H, W, C] (what class-model visualization ascends)
  gramLoss             Gatys et al.: sum_l w_l ||G_l(x) - G_l(style)||^2 / ||G_l(style)||^2 per image,
                       G = F^T F / (h w) of the layer's feature maps (options: layers, weights, style)
  gramLossGradient     d gramLoss / d pixel, [N, H, W, C] (what texture synthesis descends)
  layerActivations     the output of `layer`, [N, h, w, k] (channels last, as tfjs)
  maxPatches           brute force top-k per unit of `layer` over all (image, row, column), sorted by
                       value descending then position ascending (a stable sort), each with its
                       receptive-field crop (`fill` outside the image): [U, k, 4 + sh*sw*C] rows of
                       (value, image, row, column, crop pixels); the field from the layer configs
Upsampling is bilinear with half-pixel centres (TensorFlow's resize_bilinear, half_pixel_centers).
"""
import gzip
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


# ---------------------------------------------------------------- ReLU backward rules

class GuidedRelu(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy * (x > 0).to(dy.dtype) * (dy > 0).to(dy.dtype)


class DeconvRelu(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, dy):
        return dy.clamp(min=0)


RELUS = {'plain': torch.relu, 'guided': GuidedRelu.apply, 'deconvnet': DeconvRelu.apply}


# ---------------------------------------------------------------- the model, rebuilt from model.json

def tf_same_padding(size, kernel, stride):
    """TensorFlow 'same' padding of one axis: (before, after); the extra cell goes after."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class Model:
    """A Sequential tfjs LayersModel in float64, NCHW inside, run layer by layer."""

    SUPPORTED = {'Conv2D', 'MaxPooling2D', 'AveragePooling2D', 'Flatten', 'Dense', 'Rescaling',
                 'GlobalAveragePooling2D', 'Dropout', 'Activation', 'ReLU'}

    def __init__(self, folder):
        with open(os.path.join(folder, 'model.json')) as f:
            spec = json.load(f)
        topology = spec['modelTopology']
        config = topology.get('model_config', topology)['config']
        self.layers = [(l['class_name'], l['config']) for l in (config['layers'] if isinstance(config, dict) else config)]
        for cls, cfg in self.layers:
            if cls not in self.SUPPORTED:
                raise ValueError(f"layer {cfg['name']}: class {cls} is not supported by the reference (supported: {sorted(self.SUPPORTED)})")
        self.weights = {}
        for group in spec['weightsManifest']:
            blob = b''.join(open(os.path.join(folder, p), 'rb').read() for p in group['paths'])
            offset = 0
            for w in group['weights']:
                if w['dtype'] != 'float32':
                    raise ValueError(f"weight {w['name']}: dtype {w['dtype']} not supported")
                n = int(np.prod(w['shape'])) if w['shape'] else 1
                values = np.frombuffer(blob, dtype='<f4', count=n, offset=offset).astype(np.float64)
                self.weights[w['name']] = torch.from_numpy(values.reshape(w['shape']).copy())
                offset += 4 * n

    def weight(self, layer, name):
        return self.weights[f'{layer}/{name}']

    def conv_layers(self):
        return [cfg['name'] for cls, cfg in self.layers if cls == 'Conv2D']

    def run(self, x_nhwc, relu='plain', taps=(), feed=None):
        """Logits (the final softmax dropped) and the outputs of the layers in `taps` (NCHW).
        `feed` = (layer name, tensor): that layer's output is replaced (its inputs are not used)."""
        x = x_nhwc.permute(0, 3, 1, 2)
        out = {}
        act_relu = RELUS[relu]
        started = feed is None
        for i, (cls, cfg) in enumerate(self.layers):
            name = cfg['name']
            if not started:
                if name == feed[0]:
                    x, started = feed[1], True
                    if name in taps:
                        out[name] = x
                continue
            last = i == len(self.layers) - 1
            if cls == 'Conv2D':
                k = self.weight(name, 'kernel').permute(3, 2, 0, 1)  # [kh,kw,ci,co] -> [co,ci,kh,kw]
                (sh, sw), (dh, dw) = cfg['strides'], cfg['dilation_rate']
                if cfg['padding'] == 'same':
                    top, bottom = tf_same_padding(x.shape[2], (k.shape[2] - 1) * dh + 1, sh)
                    left, right = tf_same_padding(x.shape[3], (k.shape[3] - 1) * dw + 1, sw)
                    x = F.pad(x, (left, right, top, bottom))
                x = F.conv2d(x, k, self.weight(name, 'bias') if cfg['use_bias'] else None, stride=(sh, sw), dilation=(dh, dw))
                x = self.activate(x, cfg['activation'], act_relu, last)
            elif cls in ('MaxPooling2D', 'AveragePooling2D'):
                (ph, pw), (sh, sw) = cfg['pool_size'], cfg['strides'] or cfg['pool_size']
                if cfg['padding'] != 'valid':
                    raise ValueError(f'layer {name}: only valid pooling is supported by the reference')
                x = (F.max_pool2d if cls == 'MaxPooling2D' else F.avg_pool2d)(x, (ph, pw), (sh, sw))
            elif cls == 'Flatten':
                x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)  # channels-last order, as tfjs flattens
            elif cls == 'Dense':
                x = x @ self.weight(name, 'kernel') + (self.weight(name, 'bias') if cfg['use_bias'] else 0)
                x = self.activate(x, cfg['activation'], act_relu, last)
            elif cls == 'Rescaling':
                x = x * cfg['scale'] + cfg['offset']
            elif cls == 'GlobalAveragePooling2D':
                x = x.mean(dim=(2, 3))
            elif cls == 'Activation':
                x = self.activate(x, cfg['activation'], act_relu, last)
            elif cls == 'ReLU':
                x = act_relu(x)
            # Dropout: identity at inference
            if name in taps:
                out[name] = x
        return x, out

    @staticmethod
    def activate(x, name, relu, last):
        if name == 'relu':
            return relu(x)
        if name == 'linear' or (last and name in ('softmax', 'sigmoid')):
            return x  # scores before the final squash
        if name == 'softmax':
            return torch.softmax(x, dim=1)
        raise ValueError(f'activation {name} is not supported by the reference')

    def gap_head(self):
        """(last conv layer, dense kernel [k, classes]) for a conv -> GAP -> dense net."""
        names = [(cls, cfg['name']) for cls, cfg in self.layers]
        gap = [i for i, (cls, _) in enumerate(names) if cls == 'GlobalAveragePooling2D']
        if not gap:
            raise ValueError('cam needs a GlobalAveragePooling2D head')
        dense = [n for cls, n in names[gap[0]:] if cls == 'Dense']
        return self.conv_layers()[-1], self.weight(dense[0], 'kernel')


# ---------------------------------------------------------------- methods

def upsample(maps, size):
    """[N, h, w] -> [N, H, W], bilinear, half-pixel centres."""
    if tuple(maps.shape[1:]) == tuple(size):
        return maps
    return F.interpolate(maps[:, None], size=size, mode='bilinear', align_corners=False)[:, 0]


def score(logits, targets):
    return logits.gather(1, targets[:, None]).sum()


def input_gradient(model, x, targets, relu='plain'):
    x = x.clone().requires_grad_(True)
    logits, _ = model.run(x, relu=relu)
    (g,) = torch.autograd.grad(score(logits, targets), x)
    return g


def max_abs(attribution):
    return attribution.abs().amax(dim=3)


def saliency(model, x, targets, o):
    return max_abs(input_gradient(model, x, targets))


def integrated_gradients(model, x, targets, o):
    steps, baseline = o.get('steps', 32), o.get('baseline', 0.0)
    base = torch.full_like(x, baseline)
    total = torch.zeros_like(x)
    for k in range(steps):
        total += input_gradient(model, base + (k + 0.5) / steps * (x - base), targets)
    return max_abs((x - base) * total / steps)


def occlusion(model, x, targets, o):
    n, h, w, c = x.shape
    patch, stride, fill = o['patchSize'], o['stride'], o['fill']

    def centres(length):
        return [min(k * stride + stride // 2, length - 1) for k in range(math.ceil(length / stride))]

    rows, cols = centres(h), centres(w)
    out = torch.zeros(n, len(rows), len(cols))
    with torch.no_grad():
        for i, r in enumerate(rows):
            for j, cc in enumerate(cols):
                occluded = x.clone()
                r0, c0 = r - patch // 2, cc - patch // 2
                occluded[:, max(r0, 0):max(r0 + patch, 0), max(c0, 0):max(c0 + patch, 0), :] = fill
                probs = torch.softmax(model.run(occluded)[0], dim=1)
                out[:, i, j] = probs.gather(1, targets[:, None])[:, 0]
    return out


def grad_cam_raw(model, x, targets, layer):
    _, taps = model.run(x, taps=(layer,))
    a = taps[layer].detach().requires_grad_(True)
    logits, _ = model.run(x, feed=(layer, a))
    (g,) = torch.autograd.grad(score(logits, targets), a)
    alpha = g.mean(dim=(2, 3), keepdim=True)
    return torch.relu((alpha * a).sum(dim=1)).detach()


def grad_cam(model, x, targets, o):
    layer = o.get('layer') or model.conv_layers()[-1]
    return upsample(grad_cam_raw(model, x, targets, layer), x.shape[1:3])


def cam(model, x, targets, o):
    layer, kernel = model.gap_head()
    with torch.no_grad():
        _, taps = model.run(x, taps=(layer,))
        weights = kernel[:, targets].T  # [N, k]
        maps = (taps[layer] * weights[:, :, None, None]).sum(dim=1)
    if o.get('relu'):
        maps = torch.relu(maps)
    return upsample(maps, x.shape[1:3])


def guided_backprop(model, x, targets, o):
    return max_abs(input_gradient(model, x, targets, relu='guided'))


def deconvnet(model, x, targets, o):
    return max_abs(input_gradient(model, x, targets, relu='deconvnet'))


def guided_grad_cam(model, x, targets, o):
    weight = grad_cam(model, x, targets, o)
    return max_abs(input_gradient(model, x, targets, relu='guided') * weight[:, :, :, None])


def input_gradient_case(model, x, targets, o):
    return input_gradient(model, x, targets)


def gram(features):
    n, c, h, w = features.shape
    f = features.reshape(n, c, h * w)
    return f @ f.transpose(1, 2) / (h * w)


def gram_loss_of(model, x, o):
    layers, weights = o['layers'], o['weights']
    style = torch.tensor(o['style'], dtype=torch.float64)
    with torch.no_grad():
        _, s = model.run(style, taps=tuple(layers))
    _, t = model.run(x, taps=tuple(layers))
    loss = 0
    for layer, weight in zip(layers, weights):
        a = gram(s[layer])
        loss = loss + weight * ((gram(t[layer]) - a) ** 2).sum(dim=(1, 2)) / (a ** 2).sum(dim=(1, 2))
    return loss


def gram_loss(model, x, targets, o):
    return gram_loss_of(model, x, o)


def gram_loss_gradient(model, x, targets, o):
    x = x.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(gram_loss_of(model, x, o).sum(), x)
    return g


def layer_activations(model, x, targets, o):
    with torch.no_grad():
        _, taps = model.run(x, taps=(o['layer'],))
    a = taps[o['layer']]
    return a.permute(0, 2, 3, 1) if a.dim() == 4 else a


def field_geometry(model, layer, size):
    """(field size, jump, top-left offset of unit 0) per axis, from the layers up to `layer`."""
    field, jump, first = [1, 1], [1, 1], [0, 0]  # first: top-left input pixel of unit 0's field
    n = list(size)
    for cls, cfg in model.layers:
        if cls in ('Conv2D', 'MaxPooling2D', 'AveragePooling2D'):
            conv = cls == 'Conv2D'
            k = cfg['kernel_size'] if conv else cfg['pool_size']
            s = cfg['strides'] or k
            d = cfg['dilation_rate'] if conv else [1, 1]
            for a in range(2):
                eff = (k[a] - 1) * d[a] + 1
                pad = tf_same_padding(n[a], eff, s[a])[0] if cfg['padding'] == 'same' else 0
                first[a] -= pad * jump[a]
                field[a] += (eff - 1) * jump[a]
                jump[a] *= s[a]
                n[a] = math.ceil(n[a] / s[a]) if cfg['padding'] == 'same' else (n[a] - eff) // s[a] + 1
        if cfg['name'] == layer:
            return field, jump, first
    raise ValueError(f'no layer {layer}')


def max_patches(model, x, targets, o):
    layer, k, fill = o['layer'], o['k'], o.get('fill', 0.0)
    a = layer_activations(model, x, targets, o)  # [N, h, w, C]
    n, h, w, _ = a.shape
    units = o.get('units') or list(range(a.shape[3]))
    field, jump, first = field_geometry(model, layer, x.shape[1:3])
    c = x.shape[3]
    pad = max(field) + max(abs(first[0]), abs(first[1]))
    padded = F.pad(x.permute(0, 3, 1, 2), (pad, pad, pad, pad), value=fill).permute(0, 2, 3, 1)
    rows = []
    for u in units:
        flat = a[..., u].reshape(-1)
        order = torch.sort(flat, descending=True, stable=True).indices[:k]
        unit_rows = []
        for i in order.tolist():
            img, cell = divmod(i, h * w)
            y, xx = divmod(cell, w)
            y0, x0 = first[0] + y * jump[0] + pad, first[1] + xx * jump[1] + pad
            crop = padded[img, y0:y0 + field[0], x0:x0 + field[1], :]
            head = torch.tensor([flat[i].item(), img, y, xx], dtype=torch.float64)
            unit_rows.append(torch.cat([head, crop.reshape(-1)]))
        rows.append(torch.stack(unit_rows))
    return torch.stack(rows)


METHODS = {
    'layerActivations': layer_activations,
    'maxPatches': max_patches,
    'inputGradient': input_gradient_case,
    'gramLoss': gram_loss,
    'gramLossGradient': gram_loss_gradient,
    'saliency': saliency,
    'integratedGradients': integrated_gradients,
    'occlusion': occlusion,
    'cam': cam,
    'gradCam': grad_cam,
    'guidedBackprop': guided_backprop,
    'deconvnet': deconvnet,
    'guidedGradCam': guided_grad_cam,
}


# ---------------------------------------------------------------- images and the request

def fashion_mnist(folder, split, indices):
    prefix = 't10k' if split == 'test' else 'train'
    with gzip.open(os.path.join(folder, f'{prefix}-images-idx3-ubyte.gz')) as f:
        data = f.read()
    magic, count, rows, cols = np.frombuffer(data[:16], dtype='>i4')
    if magic != 2051:
        raise ValueError(f'{folder}: bad idx magic {magic}')
    pixels = np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, rows, cols)
    return torch.from_numpy(pixels[indices].astype(np.float64) / 255.0)[..., None]


def load_images(spec, base):
    if 'fashionMnist' in spec:
        s = spec['fashionMnist']
        return fashion_mnist(s['dir'], s['split'], s['indices'])
    values = np.fromfile(os.path.join(base, spec['file']), dtype='<f4').astype(np.float64)
    return torch.from_numpy(values.reshape(spec['shape']))


def main(request_path):
    started = time.time()
    base = os.path.dirname(os.path.abspath(request_path))
    with open(request_path) as f:
        req = json.load(f)
    model = Model(req['model'])
    x = load_images(req['images'], base)
    targets = torch.tensor(req['targets'], dtype=torch.long)
    with torch.no_grad():
        logits = model.run(x)[0]
    result = {'logits': logits.tolist(), 'images': list(x.shape), 'maps': {}}
    for case in req['cases']:
        method = METHODS.get(case['method'])
        if method is None:
            raise ValueError(f"unknown method {case['method']!r}; known: {sorted(METHODS)}")
        values = method(model, x, targets, case.get('options', {})).detach().contiguous()
        file = f"{case['id']}.f64"
        values.numpy().astype('<f8').tofile(os.path.join(base, file))
        result['maps'][case['id']] = {'shape': list(values.shape), 'file': file}
    result['seconds'] = time.time() - started
    with open(os.path.join(base, 'result.json'), 'w') as f:
        json.dump(result, f)


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit('usage: torch_reference.py REQUEST.json')
    main(sys.argv[1])
