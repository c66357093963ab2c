"""The training device as stage 4 plans for it, and how much memory a stage may fill there (stage 4 sizes its
batches by it, stage 5 its merge)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional

import torch

GIB = 1024**3
MEMORY_HEADROOM = {"cuda": 0.90, "cpu": 0.75}  # share of the device's memory an estimate may fill


@dataclass(frozen=True)
class Device:
    """The training device as the plan sees it. The plan is decided from this alone (a pure function of it),
    so tests can plan for any card: detect_device reads the real one."""

    kind: str  # "cuda" or "cpu"
    name: str
    memory_bytes: float  # the GPU's total memory, or the RAM available now
    capability: Optional[tuple[int, int]] = None  # CUDA compute capability (major, minor)


def detect_device(kind: str) -> Device:
    if kind == "cuda":
        properties = torch.cuda.get_device_properties(torch.cuda.current_device())
        return Device("cuda", properties.name, properties.total_memory, (properties.major, properties.minor))
    return Device("cpu", "cpu", _available_ram())


def budget_bytes(device: Device, limit_gib: float | None = None) -> float:
    """Bytes the estimate may fill: a share of the device's memory, and at most finetune.memory_limit_gib
    (the low-memory profile)."""
    budget = device.memory_bytes * MEMORY_HEADROOM[device.kind]
    return min(budget, limit_gib * GIB) if limit_gib is not None else budget


def memory_budget(kind: str, limit_gib: float | None = None) -> float:
    """budget_bytes of this machine's GPU (`kind` "cuda") or of the RAM available now."""
    return budget_bytes(detect_device(kind), limit_gib)


def _available_ram() -> float:
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")
