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
    "torch": "2.4",
    "transformers": "5.0",
    "trl": "1.0",
    "peft": "0.17",
    "bitsandbytes": "0.45",
    "accelerate": "1.0",
    "datasets": "3.0",
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
