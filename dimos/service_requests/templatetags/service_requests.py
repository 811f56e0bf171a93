from datetime import date

from django import template

from dimos.service_requests.models import ServiceRequest

register = template.Library()


@register.filter
def days_left(service_request: ServiceRequest, today: date) -> int:
    return service_request.days_left(today)


@register.filter
def soon(service_request: ServiceRequest, today: date) -> bool:
    return service_request.is_due_soon(today)
