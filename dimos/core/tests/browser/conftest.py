"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

Nothing here touches the network: the browser is the system's chromium (never downloaded),
axe-core is vendored next to this file, and every request that is not for the live server is
aborted. Run them with ``pytest dimos/core/tests/browser -m browser``.

Every page runs under the real content security policy: a test whose pages trigger a
violation (an inline script or style, a handler attribute, a source the policy does not
allow) fails, with the violations listed.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told otherwise. Set before any test touches the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, ConsoleMessage, Page, Route, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")
TIMEOUT_MS = 10_000
# Reports every content security policy violation to the test (the script is injected by
# the browser's DevTools protocol, which the policy does not govern).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.__dimosCspViolation(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline code") +
    " at " + event.sourceFile + ":" + event.lineNumber + " on " + event.documentURI
  );
});
"""


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The system chromium; without it the tests fail on CI and are skipped elsewhere."""
    if os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    reason = (
        f"browser tests need Debian's chromium at {CHROMIUM} "
        "(apt-get install chromium); Playwright's own browsers are never downloaded"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"{reason}. CI=true, so a missing browser is a failure, not a skip.", pytrace=False
        )
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser(chromium_executable: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The locmem cache outlives the flushed database: allauth keeps used TOTP codes and
    login rate limits there, keyed by user id, and ids restart after every flush."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def csp_violations() -> list[str]:
    """What the content security policy blocked during the test, in the order it happened."""
    return []


@pytest.fixture
def page(browser: Browser, live_server: Any, csp_violations: list[str]) -> Iterator[Page]:
    """A fresh browser context (no cookies) of a Greek browser (el-GR, Athens time);
    relative URLs are resolved against the live server. The test fails if the content
    security policy blocked anything."""
    context = browser.new_context(
        base_url=live_server.url, locale="el-GR", timezone_id="Europe/Athens"
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.expose_function("__dimosCspViolation", lambda text: csp_violations.append(text))
    context.add_init_script(REPORT_CSP_VIOLATIONS)

    def only_the_live_server(route: Route) -> None:
        if route.request.url.startswith((live_server.url, "data:")):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_the_live_server)
    page = context.new_page()
    page.on("console", lambda message: _note_csp_console_error(message, csp_violations))
    try:
        yield page
    finally:
        context.close()
    if csp_violations:
        pytest.fail(
            "The content security policy blocked:\n- " + "\n- ".join(csp_violations),
            pytrace=False,
        )


def _note_csp_console_error(message: ConsoleMessage, violations: list[str]) -> None:
    """Chromium also logs each violation on the console; keep it in case the page had no
    chance to report it (e.g. it navigated away at once)."""
    if message.type == "error" and "Content Security Policy" in message.text:
        violations.append(f"console: {message.text}")


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} axe violation(s) with impact {' or '.join(BLOCKING_IMPACTS)}:"]
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}] {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:3]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            if summary:
                lines.append(f"       {summary}")
        if len(v["nodes"]) > 3:
            lines.append(f"    … and {len(v['nodes']) - 3} more element(s)")
    return "\n".join(lines)


@pytest.fixture
def axe_report() -> Callable[[Page], str]:
    """Run the vendored axe-core on the current page for WCAG 2.1 A and AA; return "" when
    nothing serious or critical is found, otherwise a readable list of the violations."""

    def run(page: Page) -> str:
        # A click that navigates returns once the new page has started: its style sheets may
        # not be applied yet, and axe would judge unstyled colours.
        page.wait_for_load_state("load")
        # Evaluated through the DevTools protocol: a <script> tag with axe's code inline
        # would be (rightly) refused by the content security policy.
        page.evaluate(AXE_JS.read_text())
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            WCAG_TAGS,
        )
        blocking = [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]
        return _describe(blocking) if blocking else ""

    return run


@pytest.fixture
def log_in() -> Callable[[Page, str, str], None]:
    """Fill and submit the login page; staff continue on the second-factor page."""

    def submit(page: Page, email: str, password: str) -> None:
        page.goto("/accounts/login/")
        page.locator("main input[name=login]").fill(email)
        page.locator("main input[name=password]").fill(password)
        page.locator("main form.govgr-form button[type=submit]").click()
        page.wait_for_load_state()

    return submit


@pytest.fixture
def log_out() -> Callable[[Page], None]:
    def submit(page: Page) -> None:
        page.locator('header form[action$="/accounts/logout/"] button').click()
        page.wait_for_load_state()

    return submit
