"""How much memory a stage may fill on its device (stage 4 sizes its batches by it, stage 5 its merge)."""

from __future__ import annotations

import os

import torch

GIB = 1024**3
MEMORY_HEADROOM = {"cuda": 0.90, "cpu": 0.75}  # share of the device's memory an estimate may fill


def memory_budget(device: str, limit_gib: float | None = None) -> float:
    """Bytes the estimate may fill: a share of the GPU's memory, or of the RAM available now,
    and at most finetune.memory_limit_gib (the low-memory profile)."""
    if device == "cuda":
        total = torch.cuda.get_device_properties(torch.cuda.current_device()).total_memory
    else:
        total = _available_ram()
    budget = total * MEMORY_HEADROOM[device]
    return min(budget, limit_gib * GIB) if limit_gib is not None else budget


def _available_ram() -> float:
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")
