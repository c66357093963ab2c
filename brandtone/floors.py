"""The lowest versions of the model stack the pipeline is known to work with, checked at start.

Each floor was found by installing releases and running the suite's fast subset
(`scripts/find_floors.py`; results in bench/NOTES.md). Below a floor the stages fail
late and misleadingly (a varlen batch "needs packing" with packing on, say), so every
stage refuses to start with one line naming the package and its floor instead.
requirements.txt carries the same floors (tests/test_floors.py keeps the two equal).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Callable, Optional

from packaging.version import Version

FLOORS = {
    "torch": "2.11",  # the suite ran at 2.13 (older CPU builds are not on this machine); stages 4-6 ran on 2.11 (GPU)
    "transformers": "5.23.0",  # 5.22: a Llama-2 GGUF reads back without BOS; 5.17: GGUF export fails
    "trl": "1.16.0",  # 1.15: packed batches reach attention without cu_seq_lens (varlen refuses)
    "peft": "0.18.0",  # 0.17.1 imports HybridCache, which transformers 5 removed
    "bitsandbytes": "0.50.0",  # 0.49.2: torch FutureWarnings in the training log; 0.46.1: no CPU dequantisation
    "accelerate": "1.10.1",  # trl 1.16 requires it
    "datasets": "4.7.0",  # trl 1.16 requires it
}


def floor_problem(installed: Callable[[str], str] = version) -> Optional[str]:
    """One line naming the first package installed below its floor (or missing), else None.
    `installed` maps a distribution name to its version string."""
    for name, floor in FLOORS.items():
        try:
            found = installed(name)
        except PackageNotFoundError:
            return f"{name} is not installed: pip install '{name}>={floor}' (see requirements.txt)"
        if Version(found).release < Version(floor).release:
            return f"{name} {found} is below the floor {floor}: pip install -U '{name}>={floor}' (see requirements.txt)"
    return None
