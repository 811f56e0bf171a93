"""Declarations a person made for a business, and what closing the account does."""

from django.utils.translation import gettext_lazy as _

from dimos.business_tax.models import Declaration
from dimos.core.personal_data import Closure, Section, exclude, register

register(
    Section(
        key="declarations",
        title=_("Municipal fee declarations you made"),
        model=Declaration,
        rows=lambda p: Declaration.objects.filter(declared_by=p).order_by("declared_at", "id"),
        columns=[
            ("year", _("Year")),
            ("number", _("Number")),
            ("business__legal_name", _("Business")),
            ("business__afm", _("ΑΦΜ")),
            ("fee_type__name", _("Fee")),
            "period_start",
            "period_end",
            "base_cents",
            "area",
            "fee_cents",
            ("declared_at", _("When")),
        ],
        closure=Closure.KEEP,
        reason=_(
            "Kept: declarations are tax records of the business; who signed them is part of "
            "the record (ν.4174/2013)."
        ),
    )
)
exclude("business_tax.FeeType", "municipal fees (reference data)")
exclude("business_tax.AreaRate", "rates per square metre (reference data)")
exclude("business_tax.Debt", "debts of a business (a legal person); issued_by is the clerk")
exclude("business_tax.TaxProfile", "how a business files VAT (vat_payer); no person")
