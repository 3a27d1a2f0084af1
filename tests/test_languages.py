"""Eight UI languages: how a page and a socket pick theirs, what the page declares, the switch."""

import re

import pytest

from facilitation.i18n import LANGUAGES
from tests.helpers import german, make_event, messages, wait_for

LINKS = re.compile(r'<a href="([^"]*)" hreflang="[^"]*"[^>]*>'
                   r'<span lang="([^"]*)" dir="(rtl|ltr)">([^<]+)</span></a>')


def html_tag(page: str) -> str:
    return re.search(r"<html [^>]*>", page).group(0)


@pytest.fixture
def event(app):
    return make_event(app.extensions["store"], tables=2)


@pytest.mark.parametrize("code,lang,direction", [
    ("de", "de", "ltr"), ("de-simple", "de", "ltr"), ("en", "en", "ltr"), ("tr", "tr", "ltr"),
    ("ar", "ar", "rtl"), ("fa", "fa", "rtl"), ("uk", "uk", "ltr"), ("ru", "ru", "ltr"),
])
def test_every_language_is_accepted_with_its_direction(client, event, code, lang, direction):
    page = client.get(f"/e/{event['id']}/t/A?lang={code}").get_data(as_text=True)
    assert html_tag(page) == f'<html lang="{lang}" dir="{direction}" data-lang="{code}">'


def test_the_browser_language_is_the_first_default(client, event):
    page = client.get(f"/e/{event['id']}", headers={"Accept-Language": "fa-IR,fa;q=0.9,en;q=0.5"})
    assert 'lang="fa" dir="rtl"' in html_tag(page.get_data(as_text=True))
    page = client.get(f"/e/{event['id']}", headers={"Accept-Language": "uk-UA"})
    assert 'lang="uk" dir="ltr"' in html_tag(page.get_data(as_text=True))
    # A browser asking for German gets German, not Einfache Sprache; an unknown one, German.
    page = client.get(f"/e/{event['id']}", headers={"Accept-Language": "de-DE"})
    assert 'data-lang="de"' in html_tag(page.get_data(as_text=True))
    page = client.get(f"/e/{event['id']}", headers={"Accept-Language": "sw"})
    assert 'data-lang="de"' in html_tag(page.get_data(as_text=True))


def test_the_choice_is_remembered_on_the_device_for_every_later_page(client, event):
    first = client.get(f"/e/{event['id']}?lang=ar", headers={"Accept-Language": "de"})
    assert any(c.startswith("lang=ar;") for c in first.headers.getlist("Set-Cookie"))
    for path in (f"/e/{event['id']}", f"/e/{event['id']}/t/B", f"/e/{event['id']}/vote"):
        page = client.get(path, headers={"Accept-Language": "de"}).get_data(as_text=True)
        assert 'lang="ar" dir="rtl"' in html_tag(page), path
    # ?lang= still wins over the remembered choice, and becomes the new one.
    page = client.get(f"/e/{event['id']}/t/A?lang=tr").get_data(as_text=True)
    assert 'lang="tr"' in html_tag(page)
    assert 'lang="tr"' in html_tag(client.get(f"/e/{event['id']}").get_data(as_text=True))


def test_an_unknown_language_changes_nothing(client, event):
    response = client.get(f"/e/{event['id']}?lang=xx", headers={"Accept-Language": "de"})
    assert not any(c.startswith("lang=") for c in response.headers.getlist("Set-Cookie"))
    assert 'data-lang="de"' in html_tag(response.get_data(as_text=True))


def test_the_join_page_offers_every_language_in_its_own_script(client, event):
    page = client.get(f"/e/{event['id']}").get_data(as_text=True)
    first_screen = page[:page.index("<h1")]  # above the title: the first thing on the phone
    links = LINKS.findall(first_screen)
    assert [name for _href, _lang, _dir, name in links] == [
        "Deutsch", "Einfache Sprache", "English", "Türkçe", "العربية", "فارسی", "Українська", "Русский"]
    assert [(lang, d) for _h, lang, d, _n in links][4:6] == [("ar", "rtl"), ("fa", "rtl")]
    assert [href for href, *_ in links] == [f"/e/{event['id']}?lang={c}" for c in LANGUAGES]


@pytest.mark.parametrize("page", ["table", "vote", "plenary", "host", "console", "admin"])
def test_switching_language_keeps_every_query_parameter(app, client, event, page):
    # Issue 12: "English" on the console, admin and host pages dropped the key or token
    # and the facilitator was locked out.
    store = app.extensions["store"]
    key = store.facilitator_key(event["id"])
    url = {
        "table": f"/e/{event['id']}/t/A?x=1",
        "vote": f"/e/{event['id']}/vote",
        "plenary": f"/e/{event['id']}/plenary",
        "host": f"/e/{event['id']}/t/A/host?key={store.host_keys(event['id'])['A']}",
        "console": f"/e/{event['id']}/console?key={key}",
        "admin": f"/admin?token={app.config['ADMIN_TOKEN']}",
    }[page]
    links = LINKS.findall(client.get(url).get_data(as_text=True))
    assert len(links) == len(LANGUAGES)
    for href, *_ in links:
        href = href.replace("&amp;", "&")
        response = client.get(href)
        assert response.status_code == 200, href
        base, _, query = url.partition("?")
        assert href.startswith(base + "?")
        for pair in filter(None, query.split("&")):
            assert pair in href.split("?", 1)[1].split("&"), (href, pair)


def test_socket_messages_come_in_the_language_of_the_page(server, server_store, sio):
    event = make_event(server_store, tables=1)
    auth = {"event": event["id"], "role": "participant", "table": "A"}
    english = sio({**auth, "lang": "en"}, device=101)
    german_phone = sio({**auth, "lang": "de"}, device=102)
    for client in (english, german_phone):
        client.ack = client.call("submit_contribution", {"kind": "idea", "text": "   "}, timeout=5)
    assert english.ack["error"]["message"] == "Please write something first."
    assert german_phone.ack["error"]["message"] == german("Please write something first.")


def test_a_socket_without_lang_uses_the_cookie_of_its_handshake(server, server_store):
    from tests.helpers import Client, device_cookie

    event = make_event(server_store, tables=1)
    client = Client(reconnection=False)
    client.received = []
    client.on("*", lambda name, data: client.received.append((name, data)))
    client.connect(server.url, auth={"event": event["id"], "role": "participant", "table": "A"},
                   headers={"Cookie": f"fac_device={device_cookie(103)}; lang=en"},
                   transports=["websocket"], wait_timeout=10)
    try:
        wait_for(lambda: messages(client, "snapshot"))
        ack = client.call("submit_contribution", {"kind": "idea", "text": ""}, timeout=5)
        assert ack["error"]["message"] == "Please write something first."
    finally:
        client.disconnect()


def test_a_refused_connection_says_why_in_the_language_of_the_page(server):
    import socketio as sio_lib

    from tests.helpers import Client

    said = {}
    for lang in ("en", "de"):
        client = Client(reconnection=False)
        refused = []
        client.on("connect_error", lambda data, refused=refused: refused.append(data))
        with pytest.raises(sio_lib.exceptions.ConnectionError):
            client.connect(server.url, auth={"event": "nope", "role": "projector", "lang": lang},
                           transports=["websocket"], wait_timeout=10)
        said[lang] = refused[0]["message"]
        assert refused[0]["data"] == {"code": "unknown_event", "message": said[lang]}
    assert said == {"en": "This event does not exist.", "de": german("This event does not exist.")}


@pytest.mark.parametrize("code,categories", [
    # Whole numbers only: Ukrainian and Russian "other" is for fractions.
    ("de", {"one", "other"}), ("tr", {"one", "other"}), ("uk", {"one", "few", "many"}),
    ("ru", {"one", "few", "many"}), ("ar", {"zero", "one", "two", "few", "many", "other"}),
])
def test_counted_strings_reach_the_scripts_in_every_plural_category(app, code, categories):
    from facilitation.labels import client_strings

    with app.test_request_context(f"/?lang={code}"):
        forms = client_strings()["contributions_n"]
    assert set(forms) == categories
    if code == "de":
        assert forms == {"one": "%(n)s Beitrag", "other": "%(n)s Beiträge"}


def test_counted_error_messages_follow_the_plural_rule(app):
    from facilitation.errors import AppError

    with app.test_request_context("/?lang=de"):
        assert AppError("cap_reached", cap=1).message() == "Höchstens 1 Punkt pro Eintrag."
        assert AppError("cap_reached", cap=3).message() == "Höchstens 3 Punkte pro Eintrag."
    # Outside any request (the command line) the English msgids answer.
    assert AppError("text_too_long", limit=1).message() == "The text is too long: at most 1 character."
    assert AppError("text_too_long", limit=500).message() == (
        "The text is too long: at most 500 characters.")
