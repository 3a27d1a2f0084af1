"""Which offline language detector for short card texts? Accuracy, time and memory.

    .venv/bin/python bench/language_detection.py

Each candidate runs in its own process (so memory is its own): load time, resident
memory added by loading, accuracy on bench/language_samples.py (84 card texts of 3-15
words and 42 of 1-2 words in de, en, tr, ar, fa, uk, ru; every detector restricted to
these seven where it can be),
the mean time per text, and the pairs it confused. docs/languages.md has the figures
and the choice. The candidates that are not installed are reported as such.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGS = ["de", "en", "tr", "ar", "fa", "uk", "ru"]


def _load(name: str):
    """(detect(text) -> code or None) for one candidate."""
    if name == "py3langid":
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
        ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        ident.set_languages(LANGS)
        return lambda text: ident.classify(text)[0]
    if name.startswith("lingua"):
        from lingua import IsoCode639_1, LanguageDetectorBuilder
        codes = [getattr(IsoCode639_1, code.upper()) for code in LANGS]
        builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_preloaded_language_models()
        if name == "lingua-low":
            builder = builder.with_low_accuracy_mode()
        detector = builder.build()

        def detect(text):
            found = detector.detect_language_of(text)
            return found.iso_code_639_1.name.lower() if found else None
        return detect
    if name == "langdetect":
        from langdetect import DetectorFactory, detect_langs
        DetectorFactory.seed = 0

        def detect(text):
            for guess in detect_langs(text):
                if guess.lang in LANGS:
                    return guess.lang
            return None
        return detect
    raise ValueError(name)


def measure(name: str, which: str) -> dict:
    """Run in the child process: the figures of one candidate as a dict."""
    import psutil
    sys.path.insert(0, str(HERE))
    import language_samples
    SAMPLES = getattr(language_samples, which)
    proc = psutil.Process()
    before = proc.memory_info().rss
    start = time.perf_counter()
    try:
        detect = _load(name)
    except ImportError as exc:
        return {"name": name, "missing": str(exc)}
    detect("warm up")
    load_s = time.perf_counter() - start
    mem = proc.memory_info().rss - before
    right, total, confused, times = 0, 0, {}, []
    for lang, texts in SAMPLES.items():
        for text in texts:
            t0 = time.perf_counter()
            got = detect(text)
            times.append(time.perf_counter() - t0)
            total += 1
            if got == lang:
                right += 1
            else:
                key = f"{lang}->{got}"
                confused[key] = confused.get(key, 0) + 1
    return {"name": name, "accuracy": right / total, "right": right, "total": total,
            "load_s": load_s, "memory_mb": mem / 2**20,
            "mean_ms": 1000 * sum(times) / len(times), "max_ms": 1000 * max(times),
            "confused": confused}


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(measure(sys.argv[2], sys.argv[3])))
        return
    for which, title in (("SAMPLES", "card texts of 3-15 words"), ("SHORT", "cards of 1-2 words")):
        table(which, title)


def table(which: str, title: str) -> None:
    """One table of figures: every candidate on one set of samples."""
    print(f"\n{title}")
    print(f"{'detector':<12} {'accuracy':>9} {'load s':>7} {'memory MB':>10} {'ms/text':>8}"
          f" {'max ms':>7}  confused")
    for name in ("py3langid", "lingua-high", "lingua-low", "langdetect"):
        out = subprocess.run([sys.executable, __file__, "--child", name, which],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        if "missing" in r:
            print(f"{name:<12} not installed ({r['missing']})")
            continue
        print(f"{name:<12} {r['right']:>3}/{r['total']:<3} {r['accuracy']:>4.0%} {r['load_s']:>6.2f} "
              f"{r['memory_mb']:>10.1f} {r['mean_ms']:>8.3f} {r['max_ms']:>7.2f}  "
              + ", ".join(f"{k} ×{v}" for k, v in sorted(r["confused"].items())))


if __name__ == "__main__":
    main()
