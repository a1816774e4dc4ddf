"""`make bench`: speed figures, printed as plain text for the README.

    python -m bench                      # everything
    python -m bench history --quotes 100000
    python -m bench load --clients 50 --seconds 60
"""
from __future__ import annotations

import argparse


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("sections", nargs="*", default=["pipeline", "history", "load"])
    parser.add_argument("--quotes", type=int, default=1_000_000, help="history: rows to load")
    parser.add_argument("--articles", type=int, default=84, help="pipeline: dev articles")
    parser.add_argument("--clients", type=int, default=50, help="load: concurrent clients")
    parser.add_argument("--seconds", type=float, default=60, help="load: duration")
    parser.add_argument("--workers", type=int, default=4, help="load: gunicorn workers")
    parser.add_argument("--executor", default="inline", choices=["inline", "celery"],
                        help="load: who runs mode=async articles")
    parser.add_argument("--pipeline", default="tests.fakes:fake_pipeline",
                        help="load: QUOTES_PIPELINE of the service (`full`: the shipped models)")
    args = parser.parse_args()
    for section in args.sections:
        if section == "history":
            from bench.history import run

            print(run(quotes=args.quotes), flush=True)
        elif section == "load":
            from bench.load import run

            print(run(clients=args.clients, seconds=args.seconds, workers=args.workers,
                      pipeline=args.pipeline, executor=args.executor), flush=True)
        elif section == "pipeline":
            from bench.pipeline import run

            print(run(limit=args.articles), flush=True)
        else:
            parser.error(f"unknown section {section!r}")
        print()


if __name__ == "__main__":
    main()
