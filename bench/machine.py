"""What machine a benchmark ran on, for the figures in docs/performance.md."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_model() -> str:
    """CPU model from /proc/cpuinfo (or what the platform module knows)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def describe() -> str:
    """One line: CPUs, CPU model and Python version."""
    return f"{os.cpu_count()} CPUs, {cpu_model()}, Python {platform.python_version()}"
