"""The pages under load, from var/bench/fixtures.json: who asks for what.

Logged-in pages use sessions made by the real login form, one per person. A page whose
fixture is missing is reported as skipped, so the runner works before every generator exists.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from bench.client import Browser, logged_in


@dataclass
class Page:
    name: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    citizen: bool = True  # the ratio goal (≥ 0.25× the bare view) applies
    many_clients: bool = False  # anonymous lookups limited per client address
    latency: bool = False  # also loaded by one client: its latency goal is without queueing
    hits: int | None = None  # decisions the search finds (its goal depends on it)
    skipped: str = ""
    note: str = ""


def _greek_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day}/{day.month}/{day.year}"


class Sessions:
    def __init__(self, host: str, port: int, password: str) -> None:
        self.host, self.port, self.password = host, port, password
        self._browsers: dict[str, Browser] = {}

    def of(self, email: str) -> Browser:
        if email not in self._browsers:
            self._browsers[email] = logged_in(self.host, self.port, email, self.password)
        return self._browsers[email]

    def anonymous(self) -> Browser:
        return Browser(self.host, self.port)


def _ticket_page(sessions: Sessions, email: str, ticket: dict[str, str]) -> Page:
    """The lookup POST (rate-limited per client) once, then its result page under load."""
    browser = sessions.of(email)
    status, headers, _page = browser.post_form(
        "/fines/find/", {"number": ticket["number"], "plate": ticket["plate"]}
    )
    location = headers.get("Location", "")
    if status != 302 or "/fines/tickets/" not in location:
        return Page("ticket_lookup", "", skipped=f"lookup answered {status}")
    return Page(
        "ticket_lookup",
        location,
        browser.headers(),
        note="number + plate POSTed once; the ticket page it leads to under load",
    )


def pages(fixtures: dict[str, Any], sessions: Sessions) -> list[Page]:
    anonymous = sessions.anonymous().headers()
    found = [
        Page("bare", "/bench/bare/", anonymous, citizen=False),
        Page("home", "/", anonymous),
    ]

    def need(name: str, *keys: str) -> str:
        missing = [k for k in keys if k not in fixtures]
        if missing:
            found.append(Page(name, "", skipped=f"no {', '.join(missing)} in fixtures"))
        return "" if missing else "ok"

    resident = fixtures.get("resident_20", {}).get("email", "")
    if need("decision_search", "decisions", "resident_20"):
        words = fixtures["decisions"]
        headers = sessions.of(resident).headers()
        # (page name, the fixtures' key for its number of hits, the query)
        searches = [
            ("decision_search_rare", "rare", {"q": words["rare"]}),
            ("decision_search_common", "common", {"q": words["common"]}),
            ("decision_search_number", "number", {"q": words["number"]}),
            (
                "decision_search_dates",
                "date_range",
                {
                    "date_from": _greek_date(words["date_from"]),
                    "date_to": _greek_date(words["date_to"]),
                },
            ),
        ]
        hits = words.get("hits", {})
        for name, hits_key, query in searches:
            path = f"/decisions/?{urlencode(query)}"
            found.append(Page(name, path, headers, latency=True, hits=hits.get(hits_key)))
    if need("my_requests", "resident_20"):
        found.append(Page("my_requests", "/requests/", sessions.of(resident).headers()))
    if need("request_detail", "request_detail"):
        detail = fixtures["request_detail"]
        found.append(
            Page(
                "request_detail",
                f"/requests/{detail['public_id']}/",
                sessions.of(detail["email"]).headers(),
            )
        )
    if need("ticket_lookup", "ticket", "resident_20"):
        found.append(_ticket_page(sessions, resident, fixtures["ticket"]))
    if need("tax_dashboard", "tax"):
        tax = fixtures["tax"]
        found.append(
            Page(
                "tax_dashboard", f"/business-tax/{tax['afm']}/", sessions.of(tax["email"]).headers()
            )
        )
    if need("poll_results", "poll_results"):
        poll = fixtures["poll_results"]
        found.append(
            Page(
                "poll_results",
                f"/polls/{poll['poll_id']}/results/",
                sessions.of(poll["email"]).headers(),
            )
        )
    if need("receipt_verification", "receipt_verify_code"):
        found.append(
            Page(
                "receipt_verification",
                f"/verify/{fixtures['receipt_verify_code']}/",
                anonymous,
                many_clients=True,
                note="X-Real-IP varies per request (many citizens behind the proxy)",
            )
        )
    found.append(Page("open311_requests", "/open311/v2/requests.json", anonymous, citizen=False))
    return found
