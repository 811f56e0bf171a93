"""Pages with scripts work under the content security policy, and a violation fails a test.

The shared `page` fixture fails any browser test whose pages the policy blocked something on;
these tests open the pages whose scripts do the most (the map, the admin's widgets).
"""

import io
import re
import time
from collections.abc import Callable

import pytest
from PIL import Image
from playwright.sync_api import Page, Route, expect

from dimos.accounts.models import User
from dimos.testing import PASSWORD, totp_now

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LogIn = Callable[[Page, str, str], None]


def tile() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), "lightgreen").save(out, format="PNG")
    return out.getvalue()


def test_a_blocked_inline_style_is_reported(page: Page, csp_violations: list[str]) -> None:
    page.goto("/")
    page.evaluate("document.querySelector('main').setAttribute('style', 'color: red')")
    expect(page.locator("main")).to_be_visible()
    page.wait_for_timeout(200)  # the report arrives asynchronously
    assert any("style-src" in v for v in csp_violations), csp_violations
    csp_violations.clear()  # seen; the fixture would otherwise fail this test


def test_resident_marks_the_place_on_the_map_with_tiles_from_the_tile_host(
    page: Page, log_in: LogIn, resident: User
) -> None:
    png = tile()
    tiles_served: list[str] = []

    def serve_tile(route: Route) -> None:
        tiles_served.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=png)

    page.route("https://tile.openstreetmap.org/**", serve_tile)  # no network: a stand-in tile
    log_in(page, resident.email, PASSWORD)
    page.goto("/requests/new/")
    the_map = page.locator(".dimos-map")
    expect(the_map).to_be_visible()
    expect(page.locator(".leaflet-tile-loaded").first).to_be_visible()
    the_map.click(position={"x": 120, "y": 90})
    expect(page.locator(".leaflet-marker-icon")).to_be_visible()
    expect(page.locator("[data-map-status]")).to_have_text("Το σημείο σημειώθηκε στον χάρτη.")
    assert page.locator("#id_latitude").input_value()
    assert tiles_served


def test_statistics_bars_show_without_inline_styles(page: Page) -> None:
    page.goto("/requests/statistics/")
    expect(page.locator("main h1")).to_be_visible()
    assert page.locator("[style]").count() == 0


def test_admin_user_form_widgets_work_under_the_policy(
    page: Page, log_in: LogIn, clerk: User
) -> None:
    clerk.is_superuser = True
    clerk.save()
    log_in(page, clerk.email, PASSWORD)
    if time.time() % 30 > 27:  # allauth accepts only the current 30-second window
        time.sleep(30 - time.time() % 30 + 0.2)
    page.locator("main input[name=code]").fill(totp_now())
    page.locator("main form.govgr-form button[type=submit]:not([form])").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))
    page.goto("/admin/accounts/user/")
    expect(page.locator("#result_list")).to_be_visible()
    page.goto(f"/admin/accounts/user/{clerk.pk}/change/")
    # SelectFilter2 (filter_horizontal) builds its two boxes with script.
    expect(page.locator("#id_groups_from")).to_be_visible()
    expect(page.locator("#id_groups_to")).to_be_visible()
