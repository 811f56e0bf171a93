"""The attributes of every service definition: what Open311 lacks and a Greek request needs.

The kind (request or complaint) and the channel by which the reporter is told the outcome
(e-mail, SMS, telephone call, fax: ν.2690/1999 art. 4, seed service 1 c) are not Open311
fields; as attributes of the definition, third-party clients stay compliant (reference 1.11).
Changing them here means moving changeset.DEFINITIONS_CHANGED.
"""

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dimos.accounts.models import NotificationChannel
from dimos.service_requests.models import ServiceRequest

KIND = "kind"
CHANNEL = "notification_channel"
DATATYPES = frozenset({"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"})
LIST_TYPES = frozenset({"singlevaluelist", "multivaluelist"})


@dataclass(frozen=True)
class Attribute:
    code: str
    order: int
    description: Promise
    choices: Callable[[], Iterable[tuple[str, Any]]]
    datatype: str = "singlevaluelist"
    required: bool = False
    variable: bool = True


ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute(
        code=KIND,
        order=1,
        description=gettext_lazy(
            "Is it a complaint about something that is wrong, or a request for something "
            "the reporter needs? Without an answer it is filed as a complaint."
        ),
        choices=lambda: ServiceRequest.Kind.choices,
    ),
    Attribute(
        code=CHANNEL,
        order=2,
        description=gettext_lazy(
            "How the reporter wants to be told the outcome. E-mail needs the email field; "
            "SMS, telephone call and fax need the phone field (for fax, the fax number). "
            "Without an answer: e-mail when an e-mail address is given, else SMS to a mobile "
            "number, else a telephone call."
        ),
        choices=lambda: NotificationChannel.choices,
    ),
)


def definition(service_code: str) -> dict[str, Any]:
    return {
        "service_code": service_code,
        "attributes": [
            {
                "variable": a.variable,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": None,
                "order": a.order,
                "description": str(a.description),
                "values": [{"key": key, "name": str(name)} for key, name in a.choices()],
            }
            for a in sorted(ATTRIBUTES, key=lambda a: a.order)
        ],
    }


_ATTRIBUTE_FIELD = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


def posted_attributes(data: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """`attribute[CODE]=v`, and `attribute[CODE][]=v1&attribute[CODE][]=v2` for lists."""
    found: dict[str, list[str]] = {}
    for field, values in data.items():
        match = _ATTRIBUTE_FIELD.match(field)
        if match:
            found.setdefault(match.group(1), []).extend(v.strip() for v in values if v.strip())
    return found


def check_attributes(posted: dict[str, list[str]]) -> tuple[dict[str, str], list[str]]:
    """The answers to the definition's attributes, and what is wrong with them.

    Attributes the definition does not have are ignored, as fields a server does not know.
    """
    answers: dict[str, str] = {}
    problems: list[str] = []
    for attribute in ATTRIBUTES:
        values = posted.get(attribute.code, [])
        if not values:
            if attribute.required:
                problems.append(
                    _("attribute[%(code)s] is required for this service.")
                    % {"code": attribute.code}
                )
            continue
        keys = {key for key, _name in attribute.choices()}
        if attribute.datatype == "singlevaluelist" and len(values) > 1:
            problems.append(
                _("attribute[%(code)s] takes one value.") % {"code": attribute.code},
            )
        elif attribute.datatype in LIST_TYPES and not set(values) <= keys:
            problems.append(
                _("attribute[%(code)s] must be one of: %(keys)s.")
                % {"code": attribute.code, "keys": ", ".join(sorted(keys))}
            )
        else:
            answers[attribute.code] = ",".join(values)
    return answers, problems
