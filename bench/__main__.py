"""`make bench`: speed figures, printed as plain text for the README.

    python -m bench                      # everything
    python -m bench history --quotes 100000
"""
from __future__ import annotations

import argparse


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("sections", nargs="*", default=["pipeline", "history"])
    parser.add_argument("--quotes", type=int, default=1_000_000, help="history: rows to load")
    parser.add_argument("--articles", type=int, default=84, help="pipeline: dev articles")
    args = parser.parse_args()
    for section in args.sections:
        if section == "history":
            from bench.history import run

            print(run(quotes=args.quotes), flush=True)
        elif section == "pipeline":
            from bench.pipeline import run

            print(run(limit=args.articles), flush=True)
        else:
            parser.error(f"unknown section {section!r}")
        print()


if __name__ == "__main__":
    main()
