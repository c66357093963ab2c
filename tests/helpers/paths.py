"""Where the tests find the repository and the demo model."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEMO_MODEL = REPO / "models" / "SmolLM2-135M-Instruct"
