# SPDX-License-Identifier: Apache-2.0
"""What the benchmark scripts share: the machine line they print."""
import os
import platform

import torch


def machine():
    """CPU model, core count and torch version, as every benchmark prints them."""
    model = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, torch {torch.__version__}"
