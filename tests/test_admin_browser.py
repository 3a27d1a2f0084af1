"""The admin page in headless Chromium: its forms must work in a real browser, whose
Origin header depends on the Referrer-Policy (a test client sends none)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.helpers import ADMIN_TOKEN, make_event

pytestmark = pytest.mark.browser


@pytest.fixture
def admin(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="de-DE",
                              accept_downloads=True)
    page = ctx.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    ctx.close()


def test_admin_creates_an_event_and_compares_two_in_a_real_browser(admin, server, server_store, shot):
    first = make_event(server_store, title="World Café Ehrenamt")
    second = make_event(server_store, title="World Café Verwaltung")
    server_store.add_contribution(second["id"], "A", "idea", "Sprachcafé")
    admin.goto(f"{server.url}/admin?token={ADMIN_TOKEN}")
    # comparing: too few ticked says so, two ticked download vergleich.xlsx
    admin.check(f"input[name=event][value='{first['id']}']")
    admin.locator("button", has_text="vergleichen").click()
    admin.locator(".error", has_text="mindestens zwei").wait_for()
    admin.check(f"input[name=event][value='{first['id']}']")
    admin.check(f"input[name=event][value='{second['id']}']")
    shot(admin, "compare-ticked")
    with admin.expect_download() as download:
        admin.locator("button", has_text="vergleichen").click()
    assert download.value.suggested_filename == "vergleich.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    assert [r[0] for r in book["Übersicht"].iter_rows(min_row=2, values_only=True)] == [
        "World Café Ehrenamt", "World Café Verwaltung"]
    # creating an event from the form opens its console
    admin.goto(f"{server.url}/admin?token={ADMIN_TOKEN}")
    admin.fill("input[name=title]", "Akteurskonferenz Neu-Ulm")
    admin.fill("input[name=date]", "2026-12-03")
    admin.select_option("select[name=kind]", "akteurskonferenz")
    admin.get_by_role("button", name="Veranstaltung anlegen", exact=True).click()
    admin.wait_for_url("**/console?key=*")
    admin.locator("#title", has_text="Akteurskonferenz Neu-Ulm").wait_for()
    assert any(e["title"] == "Akteurskonferenz Neu-Ulm" for e in server_store.list_events())
    assert admin.errors == []
