#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes resources/imagenet_classes.txt: ImageNet-1k's class names, one a line, index = line.

Source: Debian's python3-torchvision, torchvision.models._meta._IMAGENET_CATEGORIES
(BSD-3-Clause). Run with /usr/bin/python3 from the repository root.
"""
import pathlib

from torchvision.models._meta import _IMAGENET_CATEGORIES

OUT = pathlib.Path(__file__).resolve().parents[2] / "resources" / "imagenet_classes.txt"

names = list(_IMAGENET_CATEGORIES)
assert len(names) == 1000, len(names)
for name in names:
    assert name and name == name.strip() and "\n" not in name and ";" not in name, name
OUT.write_text("".join(name + "\n" for name in names), encoding="utf-8")
print(f"wrote {len(names)} names to {OUT}")
