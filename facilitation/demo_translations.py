"""The demo World Café's texts in the seven other languages, keyed by the German text.

Einfache Sprache (de-simple) is written for A2: short main clauses, everyday words, no
passive; where a German word is what people will hear in the room (Ehrenamt, Amt), it
stays and is explained. Domain words follow docs/glossary.md where it exists.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # -- the six stations (Handlungsfelder) --------------------------------------------
    "Interkulturelle Öffnung und gesellschaftliche Teilhabe": {
        "de-simple": "Offen für alle Kulturen – alle machen mit",
        "en": "Intercultural opening and participation in society",
        "tr": "Kültürlerarası açılım ve toplumsal katılım",
        "ar": "الانفتاح بين الثقافات والمشاركة في المجتمع",
        "fa": "گشایش میان‌فرهنگی و مشارکت در جامعه",
        "uk": "Міжкультурна відкритість і участь у житті суспільства",
        "ru": "Межкультурная открытость и участие в жизни общества",
    },
    "Sprache und Bildung": {
        "de-simple": "Sprache und Lernen",
        "en": "Language and education",
        "tr": "Dil ve eğitim",
        "ar": "اللغة والتعليم",
        "fa": "زبان و آموزش",
        "uk": "Мова та освіта",
        "ru": "Язык и образование",
    },
    "Arbeitsmarkt": {
        "de-simple": "Arbeit und Beruf",
        "en": "Jobs and the labour market",
        "tr": "İş ve çalışma hayatı",
        "ar": "العمل وسوق العمل",
        "fa": "کار و بازار کار",
        "uk": "Робота і ринок праці",
        "ru": "Работа и рынок труда",
    },
    "Gesundheit und Soziales": {
        "de-simple": "Gesundheit und Hilfe im Alltag",
        "en": "Health and social services",
        "tr": "Sağlık ve sosyal hizmetler",
        "ar": "الصحة والخدمات الاجتماعية",
        "fa": "سلامت و خدمات اجتماعی",
        "uk": "Здоров’я та соціальна допомога",
        "ru": "Здоровье и социальная помощь",
    },
    "Wohnen": {
        "de-simple": "Wohnen",
        "en": "Housing",
        "tr": "Konut ve barınma",
        "ar": "السكن",
        "fa": "مسکن",
        "uk": "Житло",
        "ru": "Жильё",
    },
    "Kultur, Religion, Freizeit und Sport": {
        "de-simple": "Kultur, Religion, Freizeit und Sport",
        "en": "Culture, religion, leisure and sport",
        "tr": "Kültür, din, boş zaman ve spor",
        "ar": "الثقافة والدين وأوقات الفراغ والرياضة",
        "fa": "فرهنگ، دین، اوقات فراغت و ورزش",
        "uk": "Культура, релігія, дозвілля та спорт",
        "ru": "Культура, религия, досуг и спорт",
    },
    # -- the five guiding questions (Leitfragen) -----------------------------------------
    "Welche Bedarfe sehen Sie?": {
        "de-simple": "Was brauchen die Menschen?",
        "en": "What needs do you see?",
        "tr": "Hangi ihtiyaçları görüyorsunuz?",
        "ar": "ما الاحتياجات التي ترونها؟",
        "fa": "چه نیازهایی می‌بینید؟",
        "uk": "Які потреби ви бачите?",
        "ru": "Какие потребности вы видите?",
    },
    "Was fällt Ihnen in Ihrer eigenen Arbeit auf?": {
        "de-simple": "Was merken Sie bei Ihrer eigenen Arbeit?",
        "en": "What do you notice in your own work?",
        "tr": "Kendi işinizde neler dikkatinizi çekiyor?",
        "ar": "ما الذي تلاحظونه في عملكم أنتم؟",
        "fa": "در کار خودتان چه چیزهایی به چشمتان می‌آید؟",
        "uk": "Що ви помічаєте у своїй роботі?",
        "ru": "Что вы замечаете в своей работе?",
    },
    "Welche Ziele oder Maßnahmen sollten wir in diesem Handlungsfeld verfolgen?": {
        "de-simple": "Welche Ziele sind wichtig? Was sollen wir dafür tun?",
        "en": "Which goals or measures should we pursue in this field of action?",
        "tr": "Bu alanda hangi hedefleri veya önlemleri hayata geçirmeliyiz?",
        "ar": "ما الأهداف أو الإجراءات التي ينبغي أن نعمل عليها في هذا المجال؟",
        "fa": "در این حوزه چه هدف‌ها یا اقداماتی را باید دنبال کنیم؟",
        "uk": "Які цілі чи заходи нам варто впроваджувати в цій сфері?",
        "ru": "Какие цели или меры нам стоит реализовать в этой сфере?",
    },
    "Welche Probleme sollten gelöst werden?": {
        "de-simple": "Welche Probleme sollen wir lösen?",
        "en": "Which problems should be solved?",
        "tr": "Hangi sorunlar çözülmeli?",
        "ar": "ما المشكلات التي يجب حلّها؟",
        "fa": "چه مشکلاتی باید حل شوند؟",
        "uk": "Які проблеми треба розв’язати?",
        "ru": "Какие проблемы нужно решить?",
    },
    "Was läuft gut und sollte erhalten bleiben?": {
        "de-simple": "Was ist gut? Was soll bleiben?",
        "en": "What works well and should be kept?",
        "tr": "Neler iyi gidiyor ve korunmalı?",
        "ar": "ما الذي ينجح جيدًا ويجب الحفاظ عليه؟",
        "fa": "چه چیزهایی خوب پیش می‌رود و باید حفظ شود؟",
        "uk": "Що працює добре і варто зберегти?",
        "ru": "Что работает хорошо и что стоит сохранить?",
    },
    # -- the question at join and its answers (the target groups) ------------------------
    "Aus welchem Bereich kommen Sie?": {
        "de-simple": "Was passt zu Ihnen?",
        "en": "Which area do you come from?",
        "tr": "Hangi alandan geliyorsunuz?",
        "ar": "من أي مجال أنتم؟",
        "fa": "از کدام حوزه هستید؟",
        "uk": "З якої ви сфери?",
        "ru": "Из какой вы сферы?",
    },
    "Ehrenamt": {
        "de-simple": "Ehrenamt (ich helfe freiwillig)",
        "en": "Volunteer work",
        "tr": "Gönüllü çalışma",
        "ar": "العمل التطوعي",
        "fa": "کار داوطلبانه",
        "uk": "Волонтерська робота",
        "ru": "Волонтёрская работа",
    },
    "Hauptamt": {
        "de-simple": "Hauptamt (das ist mein Beruf)",
        "en": "Paid professional work",
        "tr": "Ücretli mesleki çalışma",
        "ar": "العمل المهني المأجور",
        "fa": "کار حرفه‌ای با دستمزد",
        "uk": "Оплачувана професійна робота",
        "ru": "Оплачиваемая профессиональная работа",
    },
    "Verwaltung": {
        "de-simple": "Verwaltung (ich arbeite im Amt)",
        "en": "Local administration",
        "tr": "Yerel yönetim",
        "ar": "الإدارة المحلية",
        "fa": "ادارات محلی",
        "uk": "Місцева адміністрація",
        "ru": "Местная администрация",
    },
    "Migrant*innen-Organisation": {
        "de-simple": "Verein von Migrantinnen und Migranten",
        "en": "Migrant organisation",
        "tr": "Göçmen örgütü",
        "ar": "منظمة للمهاجرين",
        "fa": "سازمان مهاجران",
        "uk": "Організація мігрантів",
        "ru": "Организация мигрантов",
    },
    "Bürger*in": {
        "de-simple": "Bürgerin oder Bürger (ich wohne hier)",
        "en": "Resident",
        "tr": "Bölge sakini",
        "ar": "من سكان المنطقة",
        "fa": "ساکن منطقه",
        "uk": "Мешканець / мешканка",
        "ru": "Житель / жительница",
    },
}


def translations_of(german: str) -> dict[str, str]:
    """The other languages of a demo text (a copy), or {} for a text without them."""
    return dict(TEXTS.get(german, {}))
