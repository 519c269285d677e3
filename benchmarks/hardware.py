"""The machine a benchmark ran on, for the line under its table."""

from __future__ import annotations

import contextlib
import os
import platform
from pathlib import Path


def hardware() -> str:
    """ "AMD EPYC …, 2 CPUs, 24 GiB RAM; Linux 6.1"."""
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024**2:.0f} GiB RAM"
    return (
        f"{model or platform.processor()}, {os.cpu_count()} CPUs{memory}; "
        f"{platform.system()} {platform.release()}"
    )
