"""Fill in the character offsets of evidence selectors in a claim-record YAML file.

Each one-line selector ``{..., exact: "QUOTE", start: N, end: M}`` gets the offsets at which
QUOTE occurs in the article text (Unicode code points, end exclusive).  A quote that does not
occur, or occurs more than once, is an error naming the line.

Usage: python scripts/fill_offsets.py RECORDS.yaml ARTICLE.txt
"""

from __future__ import annotations

import re
import sys

SELECTOR = re.compile(r'exact: "(?P<exact>(?:[^"\\]|\\.)*)", start: \d+, end: \d+')


def main(records: str, article: str) -> int:
    text = open(article, encoding="utf-8").read()
    lines = open(records, encoding="utf-8").read().split("\n")
    failed = 0
    for n, line in enumerate(lines, 1):
        m = SELECTOR.search(line)
        if not m:
            continue
        exact = m.group("exact").encode().decode("unicode_escape").encode("latin-1").decode()
        count = text.count(exact)
        if count != 1:
            print(f"{records}:{n}: quote occurs {count} times in {article}", file=sys.stderr)
            failed += 1
            continue
        start = text.index(exact)
        fixed = f'exact: "{m.group("exact")}", start: {start}, end: {start + len(exact)}'
        lines[n - 1] = line[: m.start()] + fixed + line[m.end() :]
    open(records, "w", encoding="utf-8").write("\n".join(lines))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
