"""Summarise a py-spy profile (collapsed stacks): where the server's time went.

    python bench/profile_summary.py bench/results/profile-dots.txt [--top 25]

Prints, per function, the share of samples in which it was on the stack (inclusive)
and at the top of the stack (self), so a missed target can be traced to its cause.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^:()]+)(?::\d+)?\)$")


def frame_name(frame: str) -> str:
    """'handler (facilitation/sockets/x.py:12)' → 'handler (sockets/x.py)': short, line-free."""
    m = _FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    parts = Path(m["file"]).parts
    if "site-packages" in parts:
        parts = parts[parts.index("site-packages") + 1:]
    elif "facilitation" in parts:
        parts = parts[parts.index("facilitation"):]
    else:
        parts = parts[-2:]
    return f"{m['func']} ({'/'.join(parts)})"


def summarise(text: str) -> dict:
    """Inclusive and self sample counts per function from collapsed stacks."""
    inclusive: Counter = Counter()
    own: Counter = Counter()
    total = 0
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [frame_name(f) for f in stack.split(";")]
        for name in set(frames):
            inclusive[name] += n
        own[frames[-1]] += n
    return {"samples": total, "inclusive": inclusive, "self": own}


def report(summary: dict, top: int = 25) -> str:
    """A readable table of the top functions, inclusive and self."""
    total = summary["samples"] or 1
    lines = [f"{summary['samples']} samples"]
    for title in ("inclusive", "self"):
        lines.append(f"\n{title}:")
        for name, n in summary[title].most_common(top):
            lines.append(f"  {100 * n / total:5.1f}%  {name}")
    return "\n".join(lines)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("profile", type=Path)
    p.add_argument("--top", type=int, default=25)
    args = p.parse_args(argv)
    print(report(summarise(args.profile.read_text()), args.top))


if __name__ == "__main__":
    main()
