"""Version floors: requirements.txt and brandtone.floors agree, and a stage below a floor stops at start."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError

from packaging.requirements import Requirement

from brandtone.floors import FLOORS, floor_problem
from tests.helpers.paths import REPO
from tests.helpers.scripts import run_script


def test_requirements_carry_the_same_floors():
    lines = [line.split("#", 1)[0].strip() for line in (REPO / "requirements.txt").read_text().splitlines()]
    requirements = {r.name.lower(): r for r in map(Requirement, filter(None, lines))}
    for name, floor in FLOORS.items():
        assert f">={floor}" in {str(s) for s in requirements[name].specifier}, name


def test_a_version_below_a_floor_or_a_missing_package_is_named_with_its_floor():
    at_floors = dict(FLOORS, torch=FLOORS["torch"] + ".0+cpu")
    assert floor_problem(at_floors.__getitem__) is None

    below = dict(at_floors, trl="0.29.1")
    assert floor_problem(below.__getitem__) == (
        f"trl 0.29.1 is below the floor {FLOORS['trl']}: pip install -U 'trl>={FLOORS['trl']}' (see requirements.txt)"
    )

    def without_peft(name: str) -> str:
        if name == "peft":
            raise PackageNotFoundError(name)
        return at_floors[name]

    assert floor_problem(without_peft).startswith(f"peft is not installed: pip install 'peft>={FLOORS['peft']}'")


def test_a_stage_below_a_floor_exits_2_with_one_line_before_reading_its_config(tmp_path):
    # A dist-info first on the path is what importlib.metadata reports, as after an old install.
    fake = tmp_path / "site" / "transformers-4.57.6.dist-info"
    fake.mkdir(parents=True)
    (fake / "METADATA").write_text("Metadata-Version: 2.1\nName: transformers\nVersion: 4.57.6\n")
    result = run_script(
        "02_clean.py",
        "--config",
        str(tmp_path / "missing.yaml"),
        cwd=tmp_path,
        env={"PYTHONPATH": f"{tmp_path / 'site'}:{REPO}", "BRANDTONE_IGNORE_FLOORS": ""},
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: transformers 4.57.6 is below the floor {FLOORS['transformers']}: "
        f"pip install -U 'transformers>={FLOORS['transformers']}' (see requirements.txt)"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
