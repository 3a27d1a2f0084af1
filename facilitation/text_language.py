"""The language a contribution was written in: the phone's interface language, unless an
offline detector on the text itself says, with confidence, that it is another one.

The detector is Lingua (lingua-language-detector) in its low-accuracy mode, restricted to
the seven written languages of the product: chosen on bench/language_detection.py's
figures (docs/languages.md): every short card right, 20 MB, 0.1 ms a card, no network.
Einfache Sprache is German to a detector: a German text from a phone in Einfache Sprache
stays 'de-simple'.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache

from .content_languages import CONTENT_LANGUAGES, base_language

log = logging.getLogger(__name__)

DETECTED = ("de", "en", "tr", "ar", "fa", "uk", "ru")
# Below this the detector's guess does not overrule what the phone says (a one-word card
# such as "Kita" is 55 % Turkish to it); measured on bench/language_samples.py.
MIN_CONFIDENCE = 0.7
MIN_LETTERS = 3

Detect = Callable[[str], "tuple[str | None, float]"]


@lru_cache(maxsize=1)
def _detector():
    """Lingua restricted to our seven languages, built once per process (~0.4 s, 20 MB);
    None where the package is missing (then the interface language alone counts)."""
    try:
        from lingua import IsoCode639_1, LanguageDetectorBuilder
    except ImportError:  # pragma: no cover - a dependency; logged, never fatal
        log.warning("lingua-language-detector is not installed: no language detection")
        return None
    codes = [getattr(IsoCode639_1, code.upper()) for code in DETECTED]
    return (LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
            .with_preloaded_language_models().with_low_accuracy_mode().build())


# One short text per detected language. Lingua builds parts of its models at the first
# detection that needs them: the first card of the day took 5–7 ms of CPU to detect
# (the next ones 0.1–1 ms), and in the load benchmark the first cards of the burst held
# every phone's messages for 11–17 ms.
_WARM_UP = (
    "Wir brauchen mehr Sprachkurse am Abend.",
    "We need more evening language classes.",
    "Akşamları daha fazla dil kursuna ihtiyacımız var.",
    "نحتاج إلى المزيد من دورات اللغة المسائية.",
    "ما به کلاس‌های زبان عصرگاهی بیشتری نیاز داریم.",
    "Нам потрібно більше вечірніх мовних курсів.",
    "Нам нужно больше вечерних языковых курсов.",
)


def warm_up() -> None:
    """Load the detector and use it once per language now (the server calls this at start:
    otherwise every connection would wait while the first cards of the day are stored)."""
    detector = _detector()
    if detector is not None:
        for text in _WARM_UP:
            detector.compute_language_confidence_values(text)


def detect(text: str) -> tuple[str | None, float]:
    """(the most likely of DETECTED, its confidence 0–1), or (None, 0.0)."""
    detector = _detector()
    if detector is None or sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return None, 0.0
    values = detector.compute_language_confidence_values(text)
    if not values or values[0].value <= 0:
        return None, 0.0
    return values[0].language.iso_code_639_1.name.lower(), values[0].value


def written_language(text: str, ui_language: str | None, detect: Detect = detect) -> str | None:
    """The language to record for a contribution: the interface language, unless the
    detector is confident of another one (then that). None when neither knows."""
    if ui_language not in CONTENT_LANGUAGES:
        ui_language = None
    guess, confidence = detect(text)
    if guess is None or confidence < MIN_CONFIDENCE or guess == base_language(ui_language):
        return ui_language or (guess if confidence >= MIN_CONFIDENCE else None)
    return guess
