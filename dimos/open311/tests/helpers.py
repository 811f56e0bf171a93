from datetime import timedelta

from django.utils import timezone

from dimos.accounts.models import User
from dimos.service_requests.models import Category, ServiceRequest


def bulk_requests(citizen: User, count: int, code: str = "street-lighting") -> list[ServiceRequest]:
    """Many requests at once, straight into the table (the numbering series is not touched:
    their numbers start at 500000), one minute apart, the newest a minute ago."""
    category = Category.objects.select_related("department").get(code=code)
    now = timezone.now()
    return ServiceRequest.objects.bulk_create(
        ServiceRequest(
            year=now.year,
            number=500000 + i,
            tracking_code=f"BULK{i:06d}",
            kind="complaint",
            category=category,
            subject=f"Αναφορά {i}",
            description=f"Αναφορά αριθμός {i}.",
            address="Πλατεία Νίκης",
            citizen=citizen,
            notify_channel="email",
            notify_address=citizen.email,
            department=category.department,
            submitted_at=now - timedelta(minutes=count - i),
            answer_days=50,
            deadline=(now + timedelta(days=50)).date(),
        )
        for i in range(count)
    )
