"""``python -m models.evaluation [--split dev] [--limit N] [--sections a,b]``: the figures of
``make eval``.

Each section is a module with ``report(args) -> str``. A section whose module does not exist
yet (another issue's work) is skipped with a note instead of failing the whole run.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
import time

SECTIONS = {
    "attribution": "models.evaluation.attribution",
    "speakers": "models.evaluation.speakers",
    "stance": "models.evaluation.stance",
    "topics": "models.evaluation.topics",
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m models.evaluation", description=__doc__)
    parser.add_argument("--split", default="dev", help="PolNeAR split (default: dev)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument(
        "--sections", default=",".join(SECTIONS), help="comma-separated, from: " + ", ".join(SECTIONS)
    )
    args, extra = parser.parse_known_args(argv)
    args.extra = extra  # options that a section may read for itself
    return args


def run_section(name: str, args: argparse.Namespace) -> str:
    module_name = SECTIONS[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise
        return f"(skipped: {module_name} is not there yet)"
    return module.report(args)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args = parse_args(argv)
    for name in [s.strip() for s in args.sections.split(",") if s.strip()]:
        if name not in SECTIONS:
            print(f"unknown section {name!r}; known: {', '.join(SECTIONS)}", file=sys.stderr)
            return 2
        started = time.perf_counter()
        body = run_section(name, args)
        print(f"== {name} ({time.perf_counter() - started:.1f} s)\n{body}\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
