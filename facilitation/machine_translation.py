"""An optional machine translator on the organisers' own network: LibreTranslate's HTTP
API (`POST /translate` with q, source, target, format; answers {"translatedText"}). Its
suggestion only pre-fills the translation desk, clearly marked; a person decides. Off
unless FACILITATION_TRANSLATE_URL is set. Nothing is sent anywhere else."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from .errors import AppError

TIMEOUT = 8.0  # seconds: a translator on a laptop in the hall answers in well under that
# Our language codes → LibreTranslate's (Einfache Sprache is German).
CODES = {"de-simple": "de"}


def suggest(url: str, text: str, source: str | None, target: str = "de",
            timeout: float = TIMEOUT) -> str:
    """The translator's rendering of text into `target`; AppError('translator_unavailable')
    when it cannot be reached or answers something else."""
    payload = json.dumps({"q": text, "source": CODES.get(source or "", source or "auto"),
                          "target": target, "format": "text"}).encode("utf-8")
    request = urllib.request.Request(url.rstrip("/") + "/translate", data=payload, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.loads(response.read(1_000_000))
    except (OSError, ValueError, urllib.error.URLError) as exc:
        raise AppError("translator_unavailable", detail=str(getattr(exc, "reason", exc))) from None
    translated = answer.get("translatedText") if isinstance(answer, dict) else None
    if not isinstance(translated, str) or not translated.strip():
        raise AppError("translator_unavailable", detail="no translatedText in the answer")
    return translated.strip()
