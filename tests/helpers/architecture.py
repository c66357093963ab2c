"""The package's one architectural rule, checked from the source (every import, also those inside functions).

A folder of brandtone/ is a stage; a top-level module is shared by two or more stages; a stage (its folder
and its numbered script) imports only top-level modules and its own folder; nothing imports in a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

SCRIPT_STAGES = {
    "01_scrape.py": "scrape",
    "02_clean.py": "clean",
    "03_build_dataset.py": "dataset",
    "04_finetune.py": "finetune",
    "05_merge.py": "merge",
    "06_evaluate.py": "evaluate",
}


def module_name(package_root: Path, path: Path) -> str:
    parts = path.relative_to(package_root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, known: set[str]) -> set[str]:
    """The brandtone modules `path` imports anywhere in it (`from brandtone import x` counts as brandtone.x)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from brandtone.clean import rules` imports the module brandtone.clean.rules; `from x import name`, x
            names = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in known else node.module for a in node.names]
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != "brandtone":
                found.add(name)
    return found


def stage_of(module: str) -> str | None:
    """brandtone.clean.rules -> "clean"; a top-level module (brandtone.dedup) has none."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else None


def is_top_level(module: str, stages: set[str]) -> bool:
    return module.count(".") == 1 and module.split(".")[1] not in stages


def violations(repo: Path) -> list[str]:
    package = repo / "brandtone"
    files = {module_name(package, path): path for path in package.rglob("*.py")}
    stages = {path.parent.name for path in package.glob("*/__init__.py")}
    known = set(files)
    imports = {module: imported_modules(path, known) for module, path in files.items()}
    scripts = {name: imported_modules(repo / name, known) for name in SCRIPT_STAGES if (repo / name).is_file()}
    problems = []

    def check(importer: str, own_stage: str | None, imported: set[str]) -> None:
        for target in sorted(imported):
            if target == f"brandtone.{own_stage}" or target.startswith(f"brandtone.{own_stage}."):
                continue
            if not is_top_level(target, stages):
                where = f"stage {own_stage}" if own_stage else "a top-level module"
                problems.append(f"{importer} ({where}) imports {target}, another stage's module")

    for module, imported in imports.items():
        check(module, stage_of(module), imported)
    for script, imported in scripts.items():
        check(script, SCRIPT_STAGES[script], imported)

    # every top-level module serves two or more stages, directly or through other top-level modules
    users: dict[str, set[str]] = {m: set() for m in files if is_top_level(m, stages)}
    direct = [(stage_of(m), targets) for m, targets in imports.items() if stage_of(m)]
    direct += [(SCRIPT_STAGES[s], targets) for s, targets in scripts.items()]
    for stage, targets in direct:
        for target in targets:
            if target in users:
                users[target].add(stage)
    changed = True
    while changed:
        changed = False
        for module in users:
            for target in imports[module]:
                if target in users and not users[module] <= users[target]:
                    users[target] |= users[module]
                    changed = True
    problems += [
        f"{m} is a top-level module used by {len(s)} stage(s) ({', '.join(sorted(s)) or 'none'}): move it into that stage's folder"
        for m, s in sorted(users.items())
        if len(s) < 2 and m not in ("brandtone.__init__",)
    ]

    # no cycles, not even through imports inside functions
    state: dict[str, int] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(imports.get(module, ())):
            if target == module or target == module.rpartition(".")[0]:
                continue
            if state.get(target) == 1:
                cycle = trail[trail.index(target) :] + [target] if target in trail else [module, target]
                problems.append("import cycle: " + " -> ".join(cycle))
            elif target not in state:
                visit(target, trail + [target])
        state[module] = 2

    for module in sorted(imports):
        if module not in state:
            visit(module, [module])
    return problems
