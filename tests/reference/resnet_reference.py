#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Reference fixtures for camlabel's ResNet and its reader of torchvision weight files.

Run once with Debian's python3-torch and python3-torchvision (no other dependency):
    /usr/bin/python3 tests/reference/resnet_reference.py
It writes into tests/data/model/, and the outputs are committed, so the C++ tests need no Python:
- resnet50_keys.json: every (name, shape, dtype) of torchvision's resnet50 state_dict, in order;
- tiny_resnet.pt / tiny_resnet_legacy.pt: seeded random weights of a small network built from
  torchvision's own ResNet and Bottleneck classes (so the names are torchvision's), saved in the
  zip format and in the legacy non-zip format;
- tiny_input.bin: a seeded float32 input, raw little-endian, shape in tiny_reference.json;
- tiny_reference.json: the configuration, torchvision's logits and statistics of layer1..layer4;
- unknown_global.pt: a zip file whose pickle names a GLOBAL no weights file uses;
- mixed.pt / mixed_legacy.pt: a parameter, half/bool/long tensors, an empty tensor and views
  (transposed, offset) sharing one storage, for the reader's dtype/stride/offset handling.

Full-size check (100 MB, not committed): `resnet_reference.py --full DIR [--weights FILE]` writes
DIR/resnet50.pth and DIR/resnet50_legacy.pth (seeded random weights, or FILE's, e.g. torchvision's
resnet50-11ad3fa6.pth), DIR/resnet50_input.bin and DIR/resnet50_reference.json; then
    CAMLABEL_RESNET50_WEIGHTS=DIR/resnet50.pth \
    CAMLABEL_RESNET50_REFERENCE=DIR/resnet50_reference.json camlabel_model_tests
compares the C++ model with torchvision on them (the test skips when these are not set).
"""
import argparse
import datetime
import json
import os
from collections import OrderedDict

import torch
from torch import nn
import torchvision
from torchvision.models.resnet import Bottleneck, ResNet

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "model")
SEED = 20261122
# The small network: torchvision's bottleneck ResNet with a narrower stem and fewer blocks.
TINY_BLOCKS = [1, 2, 1, 1]
TINY_WIDTH = 8
TINY_CLASSES = 10
INPUT_SHAPE = [1, 3, 64, 64]


class SmallResNet(ResNet):
    """torchvision's ResNet with planes (w, 2w, 4w, 8w) instead of (64, 128, 256, 512).

    Only __init__ differs; _make_layer, Bottleneck and forward are torchvision's, so the
    state_dict names are exactly those of torchvision's resnet50.
    """

    def __init__(self, blocks, width, num_classes):
        nn.Module.__init__(self)
        self._norm_layer = nn.BatchNorm2d
        self.inplanes = width
        self.dilation = 1
        self.groups = 1
        self.base_width = 64
        self.conv1 = nn.Conv2d(3, width, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(Bottleneck, width, blocks[0])
        self.layer2 = self._make_layer(Bottleneck, width * 2, blocks[1], stride=2)
        self.layer3 = self._make_layer(Bottleneck, width * 4, blocks[2], stride=2)
        self.layer4 = self._make_layer(Bottleneck, width * 8, blocks[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(width * 8 * Bottleneck.expansion, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")


def randomise_batch_norms(model, generator):
    # torchvision initialises BN to the identity; random statistics make the parity test see BN.
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            m.weight.data = 0.5 + torch.rand(n, generator=generator)
            m.bias.data = 0.1 * torch.randn(n, generator=generator)
            m.running_mean.data = 0.1 * torch.randn(n, generator=generator)
            m.running_var.data = 0.5 + torch.rand(n, generator=generator)
            m.num_batches_tracked.fill_(7)


def shapes(state_dict):
    return [{"name": k, "shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", "")}
            for k, v in state_dict.items()]


def stats(t):
    return {"shape": list(t.shape), "sum": float(t.double().sum()), "mean": float(t.double().mean()),
            "abs_max": float(t.double().abs().max()), "first": [float(v) for v in t.flatten()[:8]]}


def write_full_check(out, weights):
    os.makedirs(out, exist_ok=True)
    generator = torch.Generator().manual_seed(SEED)
    torch.manual_seed(SEED)
    model = torchvision.models.resnet50()
    if weights:
        model.load_state_dict(torch.load(weights, map_location="cpu"))
    else:
        randomise_batch_norms(model, generator)
    model.eval()
    torch.save(model.state_dict(), os.path.join(out, "resnet50.pth"))
    torch.save(model.state_dict(), os.path.join(out, "resnet50_legacy.pth"),
               _use_new_zipfile_serialization=False)
    x = torch.randn([1, 3, 224, 224], generator=generator)
    x.numpy().astype("<f4").tofile(os.path.join(out, "resnet50_input.bin"))
    with torch.no_grad():
        logits = model(x)
    with open(os.path.join(out, "resnet50_reference.json"), "w") as f:
        json.dump({"weights": weights or "seeded random", "input_shape": [1, 3, 224, 224],
                   "input_file": os.path.join(os.path.abspath(out), "resnet50_input.bin"),
                   "logits": [float(v) for v in logits.flatten()]}, f)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", metavar="DIR", help="write the full-size resnet50 check to DIR")
    parser.add_argument("--weights", metavar="FILE", help="with --full: use these weights")
    args = parser.parse_args()
    if args.full:
        write_full_check(args.full, args.weights)
        return
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(SEED)

    full = torchvision.models.resnet50()
    with open(os.path.join(OUT, "resnet50_keys.json"), "w") as f:
        json.dump({"source": "torchvision %s resnet50().state_dict()" % torchvision.__version__,
                   "entries": shapes(full.state_dict())}, f, indent=0)
        f.write("\n")

    generator = torch.Generator().manual_seed(SEED)
    torch.manual_seed(SEED)
    model = SmallResNet(TINY_BLOCKS, TINY_WIDTH, TINY_CLASSES)
    randomise_batch_norms(model, generator)
    model.eval()
    state = model.state_dict()
    torch.save(state, os.path.join(OUT, "tiny_resnet.pt"))
    torch.save(state, os.path.join(OUT, "tiny_resnet_legacy.pt"),
               _use_new_zipfile_serialization=False)

    x = torch.randn(INPUT_SHAPE, generator=generator)
    x.numpy().astype("<f4").tofile(os.path.join(OUT, "tiny_input.bin"))

    features = {}
    with torch.no_grad():
        h = model.maxpool(model.relu(model.bn1(model.conv1(x))))
        for name in ["layer1", "layer2", "layer3", "layer4"]:
            h = getattr(model, name)(h)
            features[name] = stats(h)
        logits = model(x)
    reference = {
        "torch": torch.__version__, "torchvision": torchvision.__version__, "seed": SEED,
        "blocks": TINY_BLOCKS, "width": TINY_WIDTH, "num_classes": TINY_CLASSES,
        "input_shape": INPUT_SHAPE, "input_file": "tiny_input.bin",
        "logits": [float(v) for v in logits.flatten()], "features": features,
        "entries": shapes(state),
    }
    with open(os.path.join(OUT, "tiny_reference.json"), "w") as f:
        json.dump(reference, f, indent=1)
        f.write("\n")

    # A foreign object inside an otherwise valid archive: the reader must refuse its GLOBAL.
    torch.save(OrderedDict([("fc.bias", torch.zeros(2)), ("when", datetime.date(2026, 1, 1))]),
               os.path.join(OUT, "unknown_global.pt"))

    base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    mixed = OrderedDict([
        ("param", nn.Parameter(torch.arange(6, dtype=torch.float32).reshape(2, 3))),
        ("half", torch.arange(5).half() * 0.5),
        ("base", base),
        ("transposed", base.t()),
        ("row", base[1]),
        ("flags", torch.tensor([True, False, True])),
        ("empty", torch.zeros(0, 3)),
        ("long", torch.tensor([-5, 2**40])),
    ])
    torch.save(mixed, os.path.join(OUT, "mixed.pt"))
    torch.save(mixed, os.path.join(OUT, "mixed_legacy.pt"), _use_new_zipfile_serialization=False)


if __name__ == "__main__":
    main()
