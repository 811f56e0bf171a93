from django.http import HttpRequest

from dimos.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind login: its user is a person, never anonymous."""

    user: User
