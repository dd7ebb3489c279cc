#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes tests/data/model/tiny_predict_reference.json: what torchvision predicts for a synthetic
CT slice through the whole image path (window, bilinear resize, ImageNet normalisation, the tiny
network of tiny_resnet.pt, softmax), for tests/classifier/classifier_test.cpp.

The slice is the one syntheticSlice() in that test draws; change both together.
Run with Debian's /usr/bin/python3 (python3-torch, python3-torchvision) from anywhere.
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from resnet_reference import TINY_BLOCKS, TINY_CLASSES, TINY_WIDTH, SmallResNet  # noqa: E402

DATA = os.path.join(HERE, "..", "data", "model")
SIDE = 96
INPUT = 64
WINDOW = (-600.0, 1500.0)  # center, width (lung)
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]


def synthetic_slice(side):
    """A disc of soft tissue (40 HU) in air (-1000 HU) with a bright (700 HU) square."""
    hu = torch.empty(side, side, dtype=torch.float32)
    for y in range(side):
        for x in range(side):
            dx = x - side / 2.0
            dy = y - side / 2.0
            value = 40.0 if math.sqrt(dx * dx + dy * dy) < side * 0.4 else -1000.0
            if abs(dx - 10) < 6 and abs(dy + 8) < 6:
                value = 700.0
            hu[y, x] = value
    return hu


def main():
    model = SmallResNet(TINY_BLOCKS, TINY_WIDTH, TINY_CLASSES)
    model.load_state_dict(torch.load(os.path.join(DATA, "tiny_resnet.pt")))
    model.eval()
    center, width = WINDOW
    windowed = ((synthetic_slice(SIDE) - (center - width / 2)) / width).clamp(0, 1)
    resized = F.interpolate(windowed[None, None], size=(INPUT, INPUT), mode="bilinear",
                            align_corners=False, antialias=False)
    x = resized.repeat(1, 3, 1, 1)
    x = (x - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(STD).view(1, 3, 1, 1)
    with torch.no_grad():
        logits = model(x).double()
    probabilities = logits.softmax(1).flatten().tolist()
    out = {
        "torch": torch.__version__,
        "weights": "tiny_resnet.pt",
        "image": {"side": SIDE, "recipe": "syntheticSlice() in classifier_test.cpp"},
        "window": {"center": center, "width": width},
        "input_size": INPUT,
        "logits": logits.flatten().tolist(),
        "probabilities": probabilities,
    }
    path = os.path.join(DATA, "tiny_predict_reference.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", path, "top-1", max(range(len(probabilities)), key=probabilities.__getitem__))


if __name__ == "__main__":
    main()
