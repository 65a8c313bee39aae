"""``python -m parser.learn COMMAND``: train the models, cross-validate them, or score a gold split."""
from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    commands = ("train", "cv", "evaluate")
    if not argv or argv[0] not in commands:
        print(f"usage: python -m parser.learn {{{','.join(commands)}}} [options]  (--help after a command)",
              file=sys.stderr)
        return 2
    if argv[0] == "evaluate":
        from .evaluate import main as run
    elif argv[0] == "cv":
        from .crossval import main as run
    else:
        from .train import main as run
    return run(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
