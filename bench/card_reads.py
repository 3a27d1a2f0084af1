"""How long reading every card of an event takes when facilitators have edited many.

Each card read says whether its text was edited (docs/api.md, `edited`): a subquery on
the edit history per card. Prints the median of 5 reads of all cards.

    .venv/bin/python bench/card_reads.py [cards] [every_nth_card_edited]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from facilitation.store import Store  # noqa: E402


def main(cards: int = 1000, every: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        eid = store.create_event(title="Bench", date="2026-11-22", tables=[
            {"code": "A", "theme": "Thema", "questions": ["Frage?"]}])["id"]
        ids = [store.add_contribution(eid, "A", "idea", f"Karte {i}")[0]["id"]
               for i in range(cards)]
        for i in ids[::every]:
            store.edit_contribution(eid, i, f"Karte {i} (bearbeitet)")
        took = []
        for _ in range(5):
            started = time.perf_counter()
            store.contributions(eid)
            took.append((time.perf_counter() - started) * 1000)
        print(f"all {cards} cards, {len(ids[::every])} edited: median "
              f"{statistics.median(took):.1f} ms per read (min {min(took):.1f})")
        store.close()


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
