"""What the API says about the municipality, its services and its requests, as plain values.

render.py writes them as XML or JSON. Nothing here names, e-mails or telephones a reporter:
a request is described by what happened where, never by who told us.
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.open311 import rules
from dimos.service_requests.models import Category, ServiceRequest

JSON_AND_XML = ["text/xml", "application/json"]


def _w3c(moment: datetime) -> str:
    return rules.w3c(moment, timezone.get_default_timezone())


def discovery(endpoint_url: str, changeset: datetime) -> dict[str, Any]:
    municipality = settings.DIMOS_MUNICIPALITY
    return {
        "changeset": _w3c(changeset),
        "contact": _("%(name)s, e-mail %(email)s, telephone %(phone)s")
        % {
            "name": municipality["name"],
            "email": municipality["email"],
            "phone": municipality["phone"],
        },
        "key_service": _(
            "API keys are issued by the municipality's staff. Write to %(email)s naming your "
            "application and the portal account that will file its requests."
        )
        % {"email": municipality["email"]},
        "endpoints": [
            {
                "specification": rules.SPECIFICATION,
                "url": endpoint_url,
                "changeset": _w3c(changeset),
                "type": "production" if settings.PRODUCTION else "test",
                "formats": JSON_AND_XML,
            }
        ],
    }


def service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": True,  # every service has the attributes of definitions.py
        "type": "realtime",  # the protocol number is given at once: no tokens
        "keywords": "",
        "group": category.department.name,
    }


def service_notice(service_request: ServiceRequest) -> str:
    return _(
        "Protocol number %(protocol)s. Handled by: %(department)s. Answer due by %(deadline)s."
    ) % {
        "protocol": service_request.protocol,
        "department": service_request.department.name,
        "deadline": service_request.deadline.strftime("%d/%m/%Y"),
    }


def created(service_request: ServiceRequest) -> dict[str, Any]:
    return {
        "service_request_id": service_request.public_id,
        "service_notice": service_notice(service_request),
        "account_id": None,
    }


def request(service_request: ServiceRequest) -> dict[str, Any]:
    """One request as GET requests shows it (queries.public_requests() annotates it).

    The place is shown only for categories about a place (street lighting, roads …): for the
    others (certificates …) an address is the reporter's home, which is personal data.
    """
    located = service_request.category.location_matters
    updated: datetime = getattr(service_request, "updated_at", None) or service_request.submitted_at
    zone = timezone.get_default_timezone()
    return {
        "service_request_id": service_request.public_id,
        "status": rules.status_of(service_request.status),
        "status_notes": getattr(service_request, "status_notes", None) or None,
        "service_name": service_request.category.name,
        "service_code": service_request.category.code,
        "description": rules.clean_text(service_request.description) or None,
        "agency_responsible": service_request.department.name,
        "service_notice": service_notice(service_request),
        "requested_datetime": _w3c(service_request.submitted_at),
        "updated_datetime": _w3c(updated),
        "expected_datetime": rules.w3c(rules.end_of_day(service_request.deadline, zone), zone),
        "address": (service_request.address or None) if located else None,
        "address_id": None,
        "zipcode": None,
        "lat": service_request.latitude if located else None,
        "long": service_request.longitude if located else None,
        "media_url": None,  # attachments are seen only by the reporter and the staff
    }
