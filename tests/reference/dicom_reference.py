#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Independent reference values for camlabel's DICOM reader, computed with pydicom.

Run with Debian's python3-pydicom and python3-numpy (no other dependency):
    /usr/bin/python3 tests/reference/dicom_reference.py > tests/data/dicom_reference.json
The output is committed, so the C++ tests need no Python.
"""
import json
import os

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
# Pixels to compare, (row, column): corners, centre and a few arbitrary interior points.
POINTS = [(0, 0), (0, 127), (127, 0), (127, 127), (64, 64), (10, 100), (100, 20), (50, 77)]


def describe(name, modality_lut):
    ds = pydicom.dcmread(os.path.join(DATA, name))
    pixels = ds.pixel_array
    values = apply_modality_lut(pixels, ds).astype(np.float64) if modality_lut else pixels.astype(
        np.float64)
    rows, cols = values.shape
    points = [(r, c) for r, c in POINTS if r < rows and c < cols]
    return {
        "rows": int(rows),
        "columns": int(cols),
        "min": float(values.min()),
        "max": float(values.max()),
        "mean": float(values.mean()),
        "pixel_spacing": [float(v) for v in ds.PixelSpacing],
        "points": [{"row": r, "column": c, "value": float(values[r, c])} for r, c in points],
    }


def main():
    reference = {
        "generator": "pydicom " + pydicom.__version__ + ", numpy " + np.__version__,
        "CT_small.dcm": describe("CT_small.dcm", modality_lut=True),
        "MR_small.dcm": describe("MR_small.dcm", modality_lut=False),
        "MR_small_RLE.dcm": describe("MR_small_RLE.dcm", modality_lut=False),
    }
    print(json.dumps(reference, indent=1))


if __name__ == "__main__":
    main()
