"""A few requests to gunicorn as a browser behind the HTTPS proxy would make them.

Production cookies are `__Host-` and Secure, which no cookie jar sends over plain HTTP on
loopback, so cookies are kept here by hand and sent in the Cookie header.
"""

import http.client
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Browser:
    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"https://{self.host}:{self.port}"

    def headers(self) -> dict[str, str]:
        """What every request of the benchmark carries (wrk sends the same)."""
        found = {"X-Forwarded-Proto": "https", "Accept-Language": "el"}
        if self.cookies:
            found["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return found

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None, body: bytes = b""
    ) -> tuple[int, dict[str, str], str]:
        headers = self.headers()
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for raw in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(raw).items():
                    self.cookies[name] = morsel.value
            return response.status, dict(response.headers.items()), text
        finally:
            connection.close()

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        return self.request("GET", path)

    def post_form(self, path: str, form: dict[str, str]) -> tuple[int, dict[str, str], str]:
        """GET the form for its CSRF token, then POST it as the browser would."""
        status, _headers, page = self.get(path)
        token = CSRF_FIELD.search(page)
        if token is None:
            raise RuntimeError(f"GET {path} ({status}) has no CSRF token")
        return self.request("POST", path, form={"csrfmiddlewaretoken": token.group(1), **form})


def logged_in(host: str, port: int, email: str, password: str) -> Browser:
    """A session made by the real login form (allauth), once per person."""
    browser = Browser(host, port)
    status, headers, _page = browser.post_form(
        "/accounts/login/", {"login": email, "password": password}
    )
    if status != 302 or not any("session" in name for name in browser.cookies):
        raise RuntimeError(f"login of {email} failed: {status} {headers.get('Location', '')}")
    return browser
