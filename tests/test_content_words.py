"""The word view: content words per Leitfrage, stemmed, without stop words, in eight languages."""

import pytest

from facilitation.content_words import language_of, top_words, word_view


def cards(*texts, **extra):
    return [{"id": i, "text": t, **extra} for i, t in enumerate(texts, start=1)]


def words(result):
    return [(w["word"], w["count"]) for w in result]


def test_german_forms_of_one_word_count_together_and_stop_words_are_left_out():
    result = top_words(cards("Mehr Kita-Plätze für die Kinder", "Kitaplätze fehlen!",
                             "Kein Kitaplatz für uns und die Kinder"))
    assert words(result)[:2] == [("Kitaplatz", 3), ("Kinder", 2)]  # shown in the shortest form
    assert not {"für", "die", "und", "Mehr", "uns", "Kein"} & {w for w, _ in words(result)}


def test_one_card_counts_once_per_word():
    result = top_words(cards("Sprachkurs Sprachkurs Sprachkurs", "Sprachkurse am Abend"))
    assert words(result)[0] == ("Sprachkurs", 2)


@pytest.mark.parametrize("language, texts, expected", [
    ("en", ["More places in childcare", "Childcare during the language course"], ("childcare", 2)),
    ("tr", ["Kreş yeri lazım", "Kreşler çok pahalı", "Dil kursu için kreş"], ("kreş", 3)),
    ("ar", ["نحتاج دورات لغة في المساء", "دورة اللغة صعبة جدا", "اللغة مهمة للعمل"], ("لغة", 3)),
    ("fa", ["کلاس زبان برای مادرها", "کلاس‌ها خیلی شلوغ است", "یک کلاس دیگر لازم است"], ("کلاس", 3)),
    ("uk", ["Мовні курси ввечері", "Курси для жінок і дітей", "Черги на курси дуже довгі"], ("курси", 3)),
    ("ru", ["Языковые курсы вечером", "Курсов мало", "На курсы очередь"], ("курсы", 3)),
])
def test_each_language_is_stemmed_and_cleaned_of_its_stop_words(language, texts, expected):
    assert all(language_of(t) == language for t in texts)
    result = words(top_words(cards(*texts)))
    assert result[0][1] == expected[1]
    assert result[0][0].lower() == expected[0]  # the shortest spelling of the stem
    stop = {"en": "the", "tr": "için", "ar": "في", "fa": "برای", "uk": "для", "ru": "на"}[language]
    assert stop not in {w.lower() for w, _ in result}


def test_a_language_tag_wins_over_the_guess_and_einfache_sprache_is_german():
    assert language_of("Kurs", "tr") == "tr"
    assert language_of("Wir brauchen mehr Kurse", "de-simple") == "de"
    assert language_of("Wir brauchen mehr Kurse", None) == "de"
    assert language_of("Потрібно більше місць") == "uk"
    assert language_of("Нужно больше мест") == "ru"
    assert language_of("مهدکودک لازم است") == "fa"


def test_word_view_gives_each_leitfrage_its_own_list_of_visible_cards():
    data = [
        {"id": 1, "text": "Kita-Plätze fehlen", "question": 0},
        {"id": 2, "text": "Kitaplätze!", "question": 0},
        {"id": 3, "text": "Sprachkurse am Abend", "question": 1},
        {"id": 4, "text": "Sprachkurse geheim", "question": 1, "hidden": True},
        {"id": 5, "text": "Schwimmkurs", "question": None},
    ]
    view = word_view(data, ["Was brauchen wir?", "Was läuft gut?"])
    assert view["cards"] == 4
    assert [q["question"] for q in view["questions"]] == [None, 0, 1]
    by_q = {q["question"]: q for q in view["questions"]}
    assert words(by_q[0]["words"]) == [("Kitaplätze", 2), ("fehlen", 1)]
    assert by_q[1]["cards"] == 1 and "geheim" not in {w for w, _ in words(by_q[1]["words"])}
    assert by_q[0]["text"] == "Was brauchen wir?"


def test_word_view_without_general_cards_has_only_the_questions():
    view = word_view([{"id": 1, "text": "Wohnungen", "question": 0}], ["A?", "B?"])
    assert [q["question"] for q in view["questions"]] == [0, 1]
    assert view["questions"][1]["words"] == []
