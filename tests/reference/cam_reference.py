#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Reference class activation maps for camlabel's core/explain, in plain torch.

Run once with Debian's python3-torch and python3-torchvision (no other dependency):
    /usr/bin/python3 tests/reference/cam_reference.py
It loads the tiny torchvision-named network of tests/data/model/tiny_resnet.pt (the SmallResNet
of resnet_reference.py) and writes into tests/data/explain/:
- cam_input_0.bin, cam_input_1.bin: seeded (1, 3, 96, 96) float32 inputs, raw little-endian
  (96 px so that layer4 is 3x3 and layer3 6x6);
- cam_reference.json: for each input, layer (layer3, layer4), target (top-1 and one fixed other
  class) and method, the raw map at the layer's resolution (after ReLU, before normalisation); for
  layer4 and the top-1 class also the map upsampled to 96x96 (bilinear, align_corners=False) and
  then min-max normalised, rounded to 6 decimals (to keep the file near 1 MB).

Each method is written from its formula, independently of the C++ code: the activation and its
gradient come from a forward hook and a tensor hook on the layer, and the class score (the logit,
before softmax) is back-propagated with backward(), the way pytorch-grad-cam does it.
- Grad-CAM: w_k = mean_ij dY/dA_k; cam = ReLU(sum_k w_k A_k)
- HiResCAM: ReLU(sum_k dY/dA_k * A_k)
- Grad-CAM++: a = g^2 / (2 g^2 + sum_ij(A) g^3 + 1e-7), a = 0 where g == 0;
  w = sum_ij ReLU(g) a; cam = ReLU(sum_k w_k A_k)
- XGradCAM: w_k = sum_ij g A / (sum_ij A + 1e-7); cam = ReLU(sum_k w_k A_k)
- LayerCAM: ReLU(sum_k ReLU(g_k) A_k)
- EigenCAM: the (HW x K) activations, centred per channel, projected on their first right
  singular vector (in float64); the sign is chosen so that the projection correlates positively
  with the channel-mean activation map; ReLU.
- Score-CAM: each channel upsampled to the input size and min-max normalised to [0, 1] (a channel
  that is constant at the layer's resolution gives a zero mask); score_k = logit of the target for
  input * mask_k; w = softmax_k(score); cam = ReLU(sum_k w_k A_k).
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from resnet_reference import TINY_BLOCKS, TINY_CLASSES, TINY_WIDTH, SmallResNet  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "..", "data", "model", "tiny_resnet.pt")
OUT = os.path.join(HERE, "..", "data", "explain")
SEED = 20261123
SIZE = 96
INPUTS = 2
LAYERS = ["layer3", "layer4"]
OTHER_CLASS = 3  # the fixed non-top-1 target (4 when 3 is the top-1 class)
METHODS = ["gradcam", "hirescam", "gradcam++", "xgradcam", "layercam", "eigencam", "scorecam"]
EPS = 1e-7
SCORE_BATCH = 64


def activation_and_gradient(model, x, layer, target):
    store = {}

    def forward_hook(_module, _inputs, output):
        store["A"] = output.detach().clone()
        output.register_hook(lambda grad: store.__setitem__("G", grad.detach().clone()))

    handle = getattr(model, layer).register_forward_hook(forward_hook)
    try:
        model.zero_grad()
        logits = model(x)
        logits[0, target].backward()
    finally:
        handle.remove()
    return store["A"][0], store["G"][0]  # (K, h, w)


def weighted(weights, A):
    return torch.relu((weights[:, None, None] * A).sum(0))


def grad_cam(A, G):
    return weighted(G.mean(dim=(1, 2)), A)


def hires_cam(A, G):
    return torch.relu((G * A).sum(0))


def grad_cam_pp(A, G):
    g2 = G ** 2
    g3 = G ** 3
    s = A.sum(dim=(1, 2))
    a = g2 / (2 * g2 + s[:, None, None] * g3 + EPS)
    a = torch.where(G != 0, a, torch.zeros_like(a))
    w = (torch.relu(G) * a).sum(dim=(1, 2))
    return weighted(w, A)


def xgrad_cam(A, G):
    s = A.sum(dim=(1, 2))
    w = (G * A / (s[:, None, None] + EPS)).sum(dim=(1, 2))
    return weighted(w, A)


def layer_cam(A, G):
    return torch.relu((torch.relu(G) * A).sum(0))


def eigen_cam(A):
    k, h, w = A.shape
    X = A.double().reshape(k, h * w).t()  # (HW, K)
    X = X - X.mean(dim=0, keepdim=True)
    _, _, vh = torch.linalg.svd(X, full_matrices=False)
    projection = X @ vh[0]
    mean_map = A.double().mean(0).reshape(-1)
    if torch.dot(projection, mean_map - mean_map.mean()) < 0:
        projection = -projection
    return torch.relu(projection.reshape(h, w)).float()


def score_cam(model, x, A, target):
    k = A.shape[0]
    with torch.no_grad():
        up = F.interpolate(A[None], size=x.shape[-2:], mode="bilinear", align_corners=False)[0]
        masks = torch.zeros_like(up)
        for c in range(k):
            if A[c].max() > A[c].min():
                lo, hi = up[c].min(), up[c].max()
                masks[c] = (up[c] - lo) / (hi - lo)
        scores = []
        for start in range(0, k, SCORE_BATCH):
            batch = x * masks[start:start + SCORE_BATCH, None]
            scores.append(model(batch)[:, target])
        w = torch.softmax(torch.cat(scores), dim=0)
    return weighted(w, A)


def normalised(raw, size):
    up = F.interpolate(raw[None, None], size=(size, size), mode="bilinear", align_corners=False)[0, 0]
    up = up - up.min()
    return up / (up.max() + EPS)


def flat(t, digits=None):
    values = [float(v) for v in t.flatten()]
    return [round(v, digits) for v in values] if digits is not None else values


def main():
    os.makedirs(OUT, exist_ok=True)
    model = SmallResNet(TINY_BLOCKS, TINY_WIDTH, TINY_CLASSES)
    model.load_state_dict(torch.load(MODEL, map_location="cpu"))
    model.eval()
    generator = torch.Generator().manual_seed(SEED)
    inputs = []
    cases = []
    for i in range(INPUTS):
        x = torch.randn([1, 3, SIZE, SIZE], generator=generator)
        name = "cam_input_%d.bin" % i
        x.numpy().astype("<f4").tofile(os.path.join(OUT, name))
        with torch.no_grad():
            logits = model(x)[0]
        top1 = int(logits.argmax())
        other = OTHER_CLASS if top1 != OTHER_CLASS else OTHER_CLASS + 1
        inputs.append({"file": name, "shape": [1, 3, SIZE, SIZE], "top1": top1, "other": other,
                       "logits": flat(logits)})
        for layer in LAYERS:
            for target in [top1, other]:
                A, G = activation_and_gradient(model, x, layer, target)
                maps = {
                    "gradcam": grad_cam(A, G), "hirescam": hires_cam(A, G),
                    "gradcam++": grad_cam_pp(A, G), "xgradcam": xgrad_cam(A, G),
                    "layercam": layer_cam(A, G), "eigencam": eigen_cam(A),
                    "scorecam": score_cam(model, x, A, target),
                }
                for method in METHODS:
                    raw = maps[method]
                    case = {"input": i, "layer": layer, "class": target, "method": method,
                            "raw_shape": list(raw.shape), "raw": flat(raw)}
                    if layer == "layer4" and target == top1:
                        case["normalized"] = flat(normalised(raw, SIZE), 6)
                    cases.append(case)
    reference = {"torch": torch.__version__, "seed": SEED, "model": "../model/tiny_resnet.pt",
                 "size": SIZE, "eps": EPS, "inputs": inputs, "cases": cases}
    with open(os.path.join(OUT, "cam_reference.json"), "w") as f:
        json.dump(reference, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
