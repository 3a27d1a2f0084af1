"""Ready-made surveys to start from (the console's "from template"), after the Ilm-Kreis
process (seed 002): a short questionnaire for migrants in simple language with the
demographic fields asked there, and an anonymous staff survey with free text per
Handlungsfeld that runs for two weeks."""

from __future__ import annotations

import copy

from flask_babel import lazy_gettext as _l

from .errors import AppError

_MIGRANTS = {
    "title": {
        "de": "Fragebogen: Leben im Landkreis",
        "de-simple": "Fragebogen: Wie leben Sie hier?",
        "en": "Questionnaire: life in our district",
        "tr": "Anket: İlçemizde yaşam",
        "ar": "استبيان: الحياة في منطقتنا",
        "fa": "پرسش‌نامه: زندگی در منطقهٔ ما",
        "uk": "Анкета: життя в нашому районі",
        "ru": "Анкета: жизнь в нашем районе",
    },
    "intro": {
        "de": "Die Antworten sind anonym. Jede Frage ist freiwillig.",
        "de-simple": "Wir fragen nicht nach Ihrem Namen. Sie müssen nicht jede Frage beantworten.",
        "en": "Your answers are anonymous. Every question is optional.",
        "tr": "Cevaplarınız anonimdir. Hiçbir soruyu cevaplamak zorunda değilsiniz.",
        "ar": "إجاباتك مجهولة الهوية. الإجابة عن كل سؤال اختيارية.",
        "fa": "پاسخ‌های شما بی‌نام است. پاسخ به هر پرسش اختیاری است.",
        "uk": "Ваші відповіді анонімні. Кожне питання необов'язкове.",
        "ru": "Ваши ответы анонимны. Отвечать на каждый вопрос не обязательно.",
    },
    "questions": [
        {"kind": "demographic", "field": "gender"},
        {"kind": "demographic", "field": "age"},
        {"kind": "demographic", "field": "stay"},
        {"kind": "scale", "text": {
            "de": "Wie wohl fühlen Sie sich hier?",
            "de-simple": "Fühlen Sie sich hier wohl?",
            "en": "How comfortable do you feel here?",
            "tr": "Burada kendinizi ne kadar iyi hissediyorsunuz?",
            "ar": "إلى أي مدى تشعر بالراحة هنا؟",
            "fa": "چقدر اینجا احساس راحتی می‌کنید؟",
            "uk": "Наскільки добре ви почуваєтеся тут?",
            "ru": "Насколько хорошо вы чувствуете себя здесь?",
        }},
        {"kind": "text", "text": {
            "de": "Was ist für Sie im Alltag schwer?",
            "de-simple": "Was ist im Alltag schwer für Sie?",
            "en": "What is difficult for you in everyday life?",
            "tr": "Günlük hayatta sizin için zor olan nedir?",
            "ar": "ما الذي يصعب عليك في الحياة اليومية؟",
            "fa": "در زندگی روزمره چه چیزی برای شما دشوار است؟",
            "uk": "Що вам важко в повсякденному житті?",
            "ru": "Что вам трудно в повседневной жизни?",
        }},
        {"kind": "text", "text": {
            "de": "Was hilft Ihnen, was läuft gut?",
            "de-simple": "Was hilft Ihnen? Was ist gut?",
            "en": "What helps you, what works well?",
            "tr": "Size ne yardımcı oluyor, ne iyi gidiyor?",
            "ar": "ما الذي يساعدك، وما الذي يسير بشكل جيد؟",
            "fa": "چه چیزی به شما کمک می‌کند و چه چیزی خوب پیش می‌رود؟",
            "uk": "Що вам допомагає, що працює добре?",
            "ru": "Что вам помогает, что работает хорошо?",
        }},
        {"kind": "text", "text": {
            "de": "Was wünschen Sie sich vom Landkreis?",
            "de-simple": "Was soll der Landkreis für Sie tun?",
            "en": "What would you like the district to do?",
            "tr": "İlçe yönetiminden ne bekliyorsunuz?",
            "ar": "ماذا تتمنى من إدارة المنطقة؟",
            "fa": "از ادارهٔ منطقه چه انتظاری دارید؟",
            "uk": "Чого ви бажаєте від району?",
            "ru": "Чего вы ждёте от района?",
        }},
    ],
    "min_cell": 5,
}

_FIELDS = [
    "Interkulturelle Öffnung und gesellschaftliche Teilhabe",
    "Sprache und Bildung",
    "Arbeitsmarkt",
    "Gesundheit und Soziales",
    "Wohnen",
    "Kultur, Religion, Freizeit und Sport",
]

_STAFF = {
    "title": "Anonyme Befragung der Mitarbeitenden",
    "intro": "Bitte schreiben Sie zu jedem Handlungsfeld, was Ihnen in Ihrer Arbeit auffällt."
             " Die Befragung ist anonym.",
    "questions": [
        {"kind": "single", "text": "In welchem Bereich arbeiten Sie?",
         "options": ["Verwaltung", "Freier Träger", "Bildungsträger", "Ehrenamt", "Anderer Bereich"]},
        *({"kind": "text", "text": f"Handlungsfeld {field}: Was fällt Ihnen auf, was wird gebraucht?"}
          for field in _FIELDS),
    ],
    "min_cell": 5,
}

# name → (label, definition)
TEMPLATES = {
    "migrants": (lambda: _l("Questionnaire for migrants (simple language, 8 languages)"), _MIGRANTS),
    "staff": (lambda: _l("Anonymous staff survey (free text per field of action)"), _STAFF),
}


def template_definition(name) -> dict:
    """A template's survey definition (a copy, to be stored and then edited)."""
    if name not in TEMPLATES:
        raise AppError("invalid_payload", detail="template")
    return copy.deepcopy(TEMPLATES[name][1])
