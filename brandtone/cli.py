"""The command line every stage shares: `--config PATH`, `--dry-run`, dotted overrides.

    python 04_finetune.py --config configs/demo.yaml finetune.num_train_epochs=1

Exit codes, the same in every stage: 2 for a configuration or path problem found
before any work starts (a `ConfigError`: the config, every path the stage reads
or writes, the model path), 1 for a failure during the work (a `StageError`),
130 for Ctrl-C; each with a one-line message.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from pathlib import Path
from typing import Callable, Optional

from brandtone import config_help
from brandtone.config import ConfigError, load_config, to_yaml
from brandtone.config_schema import Config
from brandtone.credentials import redact
from brandtone.errors import StageError
from brandtone.floors import floor_problem
from brandtone.log import setup_logging


def start(
    stage: str,
    description: Optional[str],
    add_arguments: Optional[Callable[[argparse.ArgumentParser], None]] = None,
    argv: Optional[list[str]] = None,
    sections: tuple[str, ...] = (),
) -> tuple[Config, argparse.Namespace, logging.Logger]:
    """Parse the command line, load and validate the config, set up logging.
    `--help` lists every key of the config `sections` the stage reads."""
    parser = argparse.ArgumentParser(
        description=description,
        epilog=config_help.render(sections) if sections else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", type=Path, default=Path("config.yaml"), help="YAML config (default: config.yaml)")
    parser.add_argument("--dry-run", action="store_true", help="print the resolved config and the plan, then exit")
    parser.add_argument("--verbose", action="store_true", help="debug logging")
    if add_arguments:
        add_arguments(parser)
    parser.add_argument("overrides", nargs="*", metavar="section.key=value", help="config overrides")
    args = parser.parse_intermixed_args(argv)  # options may follow overrides
    args.overrides = [*getattr(args, "returned_overrides", []), *args.overrides]
    # Before any work: below a floor, stages fail late and misleadingly. scripts/find_floors.py
    # sets BRANDTONE_IGNORE_FLOORS to run the suite below today's floors on purpose.
    problem = None if os.environ.get("BRANDTONE_IGNORE_FLOORS") else floor_problem()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        sys.exit(2)
    try:
        config = load_config(args.config, args.overrides)
    except ConfigError as exc:
        print(f"config error: {redact(str(exc))}", file=sys.stderr)
        sys.exit(2)
    return config, args, setup_logging(stage, args.verbose)


OVERRIDE = re.compile(r"^[A-Za-z_]\w*(\.\w+)+=")


class OptionalValue(argparse.Action):
    """An option whose value may be left out (`--resume` or `--resume PATH`, with nargs="?"), or whose
    values may be none or several (nargs="*").

    argparse would take a following `section.key=value` as the option's value:
    it goes back to the overrides instead.
    """

    def __call__(self, parser, namespace, values, option_string=None):
        if isinstance(values, list):
            overrides = [str(v) for v in values if OVERRIDE.match(str(v))]
            values = [v for v in values if not OVERRIDE.match(str(v))]
        else:
            overrides = [values] if isinstance(values, str) and OVERRIDE.match(values) else []
            values = self.const if overrides else values
        namespace.returned_overrides = [*getattr(namespace, "returned_overrides", []), *overrides]
        setattr(namespace, self.dest, values)


def print_plan(config: Config, sections: tuple[str, ...], reads: dict[str, object], writes: dict[str, object]) -> None:
    """What --dry-run prints: the resolved config sections and the stage's inputs and outputs."""
    print("# resolved config")
    print(redact(to_yaml(config.section_dict(*sections))), end="")
    print("# would read")
    for name, value in reads.items():
        print(f"  {name}: {value}")
    print("# would write")
    for name, value in writes.items():
        print(f"  {name}: {value}")


def run(main: Callable[[], Optional[int]]) -> None:
    """Run a stage's main and turn known failures into one line and an exit code."""
    log = logging.getLogger("brandtone")
    try:
        code = main()
    except StageError as exc:
        log.error("%s", exc) if logging.getLogger().handlers else print(f"error: {redact(str(exc))}", file=sys.stderr)
        sys.exit(1)
    except ConfigError as exc:
        print(f"config error: {redact(str(exc))}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("interrupted: finished outputs were kept, unfinished ones discarded", file=sys.stderr)
        sys.exit(130)
    sys.exit(code or 0)
