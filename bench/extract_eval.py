"""Score the attribution extractor against a folder of gold annotations.

Usage: python bench/extract_eval.py FOLDER [--misses]

FOLDER holds NAME.txt with NAME.gold.yaml (format: bench/extract/README.md). Prints span
precision, recall and F1 (a match shares at least half of the shorter span) and the accuracy of
speaker, anonymity, intermediary chain and cue, per pattern and overall. The scoring lives in
the package (claimgraph.extract.evaluation), so this runs from an installed wheel.
"""

from __future__ import annotations

import sys

from claimgraph.extract.evaluation import evaluate, format_evaluation, load_folder


def main(argv: list[str]) -> int:
    folders = [a for a in argv if not a.startswith("--")]
    if not folders:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    for folder in folders:
        print(f"== {folder}")
        print(format_evaluation(evaluate(load_folder(folder)), misses="--misses" in argv))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
