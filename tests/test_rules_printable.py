"""The input rule for exports (rules.printable): the fast path removes exactly the
characters `unwanted` names, for every code point, and keeps everything else."""

from facilitation.rules import exportable, printable, unwanted


def test_printable_removes_exactly_the_unwanted_characters_of_every_code_point():
    every = "".join(chr(c) for c in range(0x110000))
    assert printable(every) == "".join(ch for ch in every if not unwanted(ch))


def test_printable_keeps_text_with_umlauts_line_breaks_and_tabs_as_typed():
    text = "Sprachkurs für Mütter\nim Stadtteil\tWeißenfels – „Begegnung“ 🙂"
    assert printable(text) == text


def test_exportable_cleans_strings_at_any_depth_and_keeps_numbers_and_keys():
    value = {"a\u202eb": [("x\x00y", 1, 2.5, None, True), {"k": "z\ufffe"}], 7: {1: 2}}
    assert exportable(value) == {"ab": [["xy", 1, 2.5, None, True], {"k": "z"}], 7: {1: 2}}


def test_the_export_cleans_what_it_read_in_place_exactly_as_exportable_would():
    from facilitation.export import _exportable_in_place

    def value():
        return {"a\u202eb": [("x\x00y", 1, None), {"k": ["z\ufffe", 2.5]}], "ok": [[1, "fine"]],
                "rows": [["Kita\x07", True], ("tuple", "\ud800")]}

    read = value()
    inner = read["ok"]
    assert _exportable_in_place(read) == exportable(value())
    assert _exportable_in_place(value()["rows"]) == [["Kita", True], ["tuple", ""]]
    assert _exportable_in_place({"x": inner})["x"] is inner  # no copy of a clean list
