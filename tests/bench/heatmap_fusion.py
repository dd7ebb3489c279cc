#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Where a project version's heatmaps peak, per layer and for maps fused across layers.

Usage: heatmap_fusion.py VERSION.pt HELDOUT_DIR

VERSION.pt is a project's model version (models/<scheme>_vK.pt, ResNet50), HELDOUT_DIR a phantom
set as `camlabel-cli phantom` writes it (labels.csv, images/, masks/). For each lesion slice the
true class is explained at layer1..layer4 with Grad-CAM, LayerCAM and HiResCAM as the app computes
them (the app's preprocessing: lung window, bilinear resize to 224 px, ImageNet normalisation;
maps resized bilinearly to the slice and scaled to [0, 1]), and with products of two or three
layers' maps (a coarse map that knows the class times a fine one, as Guided Grad-CAM fuses them).
Prints, per map, the share of slices whose peak lies on the lesion, within 8 px and within 16 px.
The single-layer rows reproduce `camlabel-cli localise --layer L --method M`, which checks this
script against the app.
"""
import csv
import io
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torchvision.models.resnet import Bottleneck, ResNet

LAYERS = ["layer1", "layer2", "layer3", "layer4"]


def load_version(path):
    """The shown weights of a version file: a header, then a TorchScript archive whose nested
    "model" holds the state_dict under torchvision's names."""
    data = open(path, "rb").read()
    archive = torch.jit.load(io.BytesIO(data[data.find(b"PK\x03\x04"):]), map_location="cpu")
    state = {name[len("model."):]: t.detach().clone()
             for name, t in list(archive.named_parameters()) + list(archive.named_buffers())
             if name.startswith("model.")}
    classes = state["fc.weight"].shape[0]
    m = ResNet(Bottleneck, [3, 4, 6, 3], num_classes=classes)
    m.load_state_dict(state)
    return m.eval()


def model_input(file):
    """The app's preprocessing of a phantom PNG (stored = HU + 1024) in the lung window."""
    hu = np.array(Image.open(file)).astype(np.float32) - 1024
    v = torch.from_numpy(np.clip((hu + 1350) / 1500, 0, 1))[None, None]
    v = F.interpolate(v, size=(224, 224), mode="bilinear", align_corners=False).repeat(1, 3, 1, 1)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    return (v - mean) / std


def maps(m, x, cls):
    acts = {}

    def keep(name):
        def hook(_module, _inputs, out):
            out.retain_grad()
            acts[name] = out
        return hook

    hooks = [getattr(m, name).register_forward_hook(keep(name)) for name in LAYERS]
    m.zero_grad()
    m(x)[0, cls].backward()
    for h in hooks:
        h.remove()
    out = {}
    for name, a in acts.items():
        g, act = a.grad[0], a[0].detach()
        out["gradcam " + name] = F.relu((g.mean((1, 2))[:, None, None] * act).sum(0))
        out["layercam " + name] = F.relu((F.relu(g) * act).sum(0))
        out["hirescam " + name] = F.relu((g * act).sum(0))
    return out


def to_slice(cam, side):
    cam = F.interpolate(cam[None, None], size=(side, side), mode="bilinear",
                        align_corners=False)[0, 0]
    cam = cam - cam.min()
    return cam / (cam.max() + 1e-12)


def peak_distance(cam, mask):
    y, x = divmod(int(torch.argmax(cam)), cam.shape[1])
    if mask[y, x]:
        return 0.0
    ys, xs = np.nonzero(mask)
    return float(np.sqrt(((ys - y) ** 2 + (xs - x) ** 2).min()))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    torch.set_num_threads(2)
    model, root = load_version(sys.argv[1]), sys.argv[2]
    fused = {"gradcam layer4 x layer3": ("gradcam layer4", "gradcam layer3"),
             "gradcam layer4 x layer2": ("gradcam layer4", "gradcam layer2"),
             "gradcam layer3 x layer2": ("gradcam layer3", "gradcam layer2"),
             "layercam layer4 x layer2": ("layercam layer4", "layercam layer2"),
             "layercam layer3 x layer2": ("layercam layer3", "layercam layer2")}
    distances = {}
    with open(os.path.join(root, "labels.csv")) as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        mask_file = os.path.join(root, "masks", os.path.basename(row["file"]))
        if not os.path.exists(mask_file):
            continue
        mask = np.array(Image.open(mask_file)) > 0
        if not mask.any():
            continue
        side = mask.shape[0]
        cams = {k: to_slice(v, side)
                for k, v in maps(model, model_input(os.path.join(root, row["file"])),
                                 int(row["label"])).items()}
        for name, (a, b) in fused.items():
            cams[name] = cams[a] * cams[b]
        for name, cam in cams.items():
            distances.setdefault(name, []).append(peak_distance(cam, mask))
    print(f"{'map':28s} slices  strict  within 8 px  within 16 px")
    for name, d in distances.items():
        n = len(d)
        print(f"{name:28s} {n:6d}  {sum(v == 0 for v in d) / n:6.2f}  "
              f"{sum(v <= 8 for v in d) / n:11.2f}  {sum(v <= 16 for v in d) / n:12.2f}")


if __name__ == "__main__":
    main()
