"""The merchant side of the Cardlink VPOS protocol: the form we send, the responses we accept."""

import base64
import hashlib
from dataclasses import replace
from urllib.parse import urlencode

import pytest

from dimos.payments.gateways import (
    CardlinkGateway,
    CardPaymentRequest,
    GatewayResponse,
    InvalidSignature,
)

SECRET = "Δήμος-secret-1"  # non-ASCII on purpose: the secret is UTF-8 too
MID = "0020893996"
URL = "https://ecommerce-test.cardlink.gr/vpos/shophandlermpi"

REQUEST = CardPaymentRequest(
    order_ref="RF18539007547034at1",
    amount_cents=1250,
    description="Παράβολο άδειας κατάληψης κοινόχρηστου χώρου",
    payer_email="maria@example.gr",
    payer_phone="6912345678",
    confirm_url="https://dimos.example.gr/payments/card/confirm/",
    cancel_url="https://dimos.example.gr/payments/card/cancel/",
)

FORM_ORDER = [
    "version",
    "mid",
    "lang",
    "orderid",
    "orderDesc",
    "orderAmount",
    "currency",
    "payerEmail",
    "payerPhone",
    "billCountry",
    "billZip",
    "billCity",
    "billAddress",
    "trType",
    "cssUrl",
    "confirmUrl",
    "cancelUrl",
    "digest",
]


@pytest.fixture
def gateway() -> CardlinkGateway:
    return CardlinkGateway(mid=MID, secret=SECRET, url=URL)


def b64sha(text: str, algorithm: str = "sha256") -> str:
    return base64.b64encode(hashlib.new(algorithm, text.encode("utf-8")).digest()).decode()


def signed(
    fields: list[tuple[str, str]], secret: str = SECRET, algorithm: str = "sha256"
) -> list[tuple[str, str]]:
    """A response as the gateway signs it, computed here without the code under test."""
    concat = "".join(v for n, v in fields if not n.startswith("xlsbonus") and n != "_charset_")
    return [*fields, ("digest", b64sha(concat + secret, algorithm))]


def response(status: str = "CAPTURED", **changes: str) -> list[tuple[str, str]]:
    fields = {
        "version": "2",
        "mid": MID,
        "orderid": "RF18539007547034at1",
        "status": status,
        "orderAmount": "12.50",
        "currency": "EUR",
        "paymentTotal": "12.50",
        "message": "OK, 00 - Approved",
        "riskScore": "0",
        "payMethod": "visa",
        "txId": "900001234567",
        "paymentRef": "123456",
    }
    fields.update(changes)
    return list(fields.items())


def body(fields: list[tuple[str, str]]) -> bytes:
    return urlencode(fields).encode("ascii")


# --- the form -------------------------------------------------------------------------


def test_form_fields_are_in_the_protocols_order(gateway: CardlinkGateway) -> None:
    form = gateway.redirect_form(REQUEST)
    assert form.action_url == URL
    assert [name for name, _ in form.fields] == FORM_ORDER
    assert form.fields[:10] == [
        ("version", "2"),
        ("mid", MID),
        ("lang", "el"),
        ("orderid", "RF18539007547034at1"),
        ("orderDesc", "Παράβολο άδειας κατάληψης κοινόχρηστου χώρου"),
        ("orderAmount", "12.50"),
        ("currency", "EUR"),
        ("payerEmail", "maria@example.gr"),
        ("payerPhone", "6912345678"),
        ("billCountry", "GR"),
    ]
    assert dict(form.fields)["trType"] == "1"  # a sale, captured at once


def test_form_digest_is_sha256_of_the_values_in_order_and_the_secret(
    gateway: CardlinkGateway,
) -> None:
    form = gateway.redirect_form(REQUEST)
    *values, (name, digest) = form.fields
    assert name == "digest"
    assert digest == b64sha("".join(v for _, v in values) + SECRET)


def test_sha1_merchants_get_sha1_digests() -> None:
    gateway = CardlinkGateway(mid=MID, secret=SECRET, url=URL, algorithm="sha1")
    *values, (_, digest) = gateway.redirect_form(REQUEST).fields
    assert digest == b64sha("".join(v for _, v in values) + SECRET, "sha1")
    assert len(digest) == 28


@pytest.mark.parametrize(("cents", "euros"), [(1, "0.01"), (1234567, "12345.67"), (100, "1.00")])
def test_form_amount_is_exact_decimal_euros(
    gateway: CardlinkGateway, cents: int, euros: str
) -> None:
    form = gateway.redirect_form(replace(REQUEST, amount_cents=cents))
    assert dict(form.fields)["orderAmount"] == euros


@pytest.mark.parametrize(("language", "lang"), [("el", "el"), ("en", "en"), ("en-gb", "en")])
def test_form_language(gateway: CardlinkGateway, language: str, lang: str) -> None:
    assert dict(gateway.redirect_form(replace(REQUEST, language=language)).fields)["lang"] == lang


def test_form_carries_the_billing_address_when_known(gateway: CardlinkGateway) -> None:
    form = gateway.redirect_form(
        replace(REQUEST, bill_zip="50100", bill_city="Κοζάνη", bill_address="Πλατεία Νίκης 1")
    )
    fields = dict(form.fields)
    assert (fields["billZip"], fields["billCity"], fields["billAddress"]) == (
        "50100",
        "Κοζάνη",
        "Πλατεία Νίκης 1",
    )


def test_long_description_is_cut_to_what_the_gateway_takes(gateway: CardlinkGateway) -> None:
    form = gateway.redirect_form(replace(REQUEST, description="Α" * 300))
    assert dict(form.fields)["orderDesc"] == "Α" * 128


@pytest.mark.parametrize("order_ref", ["", "a b", "RF1/2", "x" * 51, "Δ1"])
def test_order_ref_must_be_a_valid_gateway_order_id(
    gateway: CardlinkGateway, order_ref: str
) -> None:
    with pytest.raises(ValueError, match="order_ref"):
        gateway.redirect_form(replace(REQUEST, order_ref=order_ref))


@pytest.mark.parametrize("cents", [0, -100])
def test_nothing_to_pay_is_refused(gateway: CardlinkGateway, cents: int) -> None:
    with pytest.raises(ValueError, match="positive"):
        gateway.redirect_form(replace(REQUEST, amount_cents=cents))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"mid": "", "secret": SECRET, "url": URL},
        {"mid": MID, "secret": "", "url": URL},
        {"mid": MID, "secret": SECRET, "url": ""},
        {"mid": MID, "secret": SECRET, "url": URL, "algorithm": "md5"},
    ],
)
def test_gateway_needs_its_configuration(kwargs: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        CardlinkGateway(**kwargs)


def test_the_secret_is_not_in_the_repr(gateway: CardlinkGateway) -> None:
    assert SECRET not in repr(gateway)


# --- the response ---------------------------------------------------------------------


def test_captured_response_is_paid(gateway: CardlinkGateway) -> None:
    fields = signed(response())
    result = gateway.parse_response(body(fields))
    assert result == GatewayResponse(
        order_ref="RF18539007547034at1",
        outcome="paid",
        amount_cents=1250,
        status="CAPTURED",
        transaction_id="900001234567",
        payment_ref="123456",
        message="OK, 00 - Approved",
        fields=fields,
    )


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        ("CAPTURED", "paid"),
        ("REFUSED", "declined"),
        ("REFUSEDRISK", "declined"),
        ("CANCELED", "cancelled"),
        ("ERROR", "error"),
        ("AUTHORIZED", "pending"),  # pre-authorised, not captured: not money yet
        ("PROCESSING", "pending"),
        ("EXECWAIT", "pending"),
        ("PREPROCESS-TIMEDOUT", "pending"),
        ("captured", "pending"),  # exactly CAPTURED, nothing like it
        (" CAPTURED", "pending"),
    ],
)
def test_status_mapping(gateway: CardlinkGateway, status: str, outcome: str) -> None:
    assert gateway.parse_response(body(signed(response(status)))).outcome == outcome


def test_sha1_response_verifies_with_a_sha1_gateway() -> None:
    gateway = CardlinkGateway(mid=MID, secret=SECRET, url=URL, algorithm="sha1")
    assert gateway.parse_response(body(signed(response(), algorithm="sha1"))).outcome == "paid"
    with pytest.raises(InvalidSignature):
        gateway.parse_response(body(signed(response())))  # a SHA-256 digest


def test_greek_message_verifies(gateway: CardlinkGateway) -> None:
    fields = signed(response("REFUSED", message="Η συναλλαγή απορρίφθηκε"))
    assert gateway.parse_response(body(fields)).message == "Η συναλλαγή απορρίφθηκε"


def test_response_without_version_or_optional_fields_verifies(gateway: CardlinkGateway) -> None:
    """Like omnipay's sample of a cancellation: no version, payMethod or paymentRef."""
    fields = [
        (n, v)
        for n, v in response("CANCELED", message="Failed, user canceled", riskScore="")
        if n not in {"version", "payMethod", "paymentRef"}
    ]
    result = gateway.parse_response(body(signed(fields)))
    assert (result.outcome, result.payment_ref, result.amount_cents) == ("cancelled", "", 1250)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("status", "CAPTURED"),  # a refusal turned into a payment
        ("orderAmount", "1250.00"),
        ("orderid", "RF18539007547034at2"),
        ("message", "OK"),
        ("txId", "900001234568"),
    ],
)
def test_a_value_changed_after_signing_is_refused(
    gateway: CardlinkGateway, name: str, value: str
) -> None:
    fields = signed(response("REFUSED"))
    tampered = [(n, value if n == name else v) for n, v in fields]
    with pytest.raises(InvalidSignature, match="digest"):
        gateway.parse_response(body(tampered))


def test_a_changed_digest_is_refused(gateway: CardlinkGateway) -> None:
    fields = signed(response())
    digest = fields[-1][1]
    forged = [*fields[:-1], ("digest", ("B" if digest[0] == "A" else "A") + digest[1:])]
    with pytest.raises(InvalidSignature, match="digest"):
        gateway.parse_response(body(forged))


def test_a_digest_made_with_another_secret_is_refused(gateway: CardlinkGateway) -> None:
    with pytest.raises(InvalidSignature, match="digest"):
        gateway.parse_response(body(signed(response(), secret="guessed")))


@pytest.mark.parametrize("missing", ["digest", "mid", "orderid", "status"])
def test_a_missing_required_field_is_refused(gateway: CardlinkGateway, missing: str) -> None:
    fields = [(n, v) for n, v in signed(response()) if n != missing]
    if missing != "digest":  # signed again without it: only the absence is wrong
        fields = signed([(n, v) for n, v in fields if n != "digest"])
    with pytest.raises(InvalidSignature, match=missing):
        gateway.parse_response(body(fields))


def test_a_missing_signed_field_breaks_the_digest(gateway: CardlinkGateway) -> None:
    fields = [(n, v) for n, v in signed(response()) if n != "txId"]
    with pytest.raises(InvalidSignature, match="digest"):
        gateway.parse_response(body(fields))


def test_an_extra_field_is_refused(gateway: CardlinkGateway) -> None:
    fields = signed(response())
    with pytest.raises(InvalidSignature):
        gateway.parse_response(body([*fields[:-1], ("note", "x"), fields[-1]]))


def test_an_extra_empty_field_is_refused_though_the_digest_still_matches(
    gateway: CardlinkGateway,
) -> None:
    """Names are not signed; an empty value adds nothing to the concatenation."""
    fields = signed(response())
    with pytest.raises(InvalidSignature, match="note"):
        gateway.parse_response(body([("note", ""), *fields]))


def test_reordered_fields_are_refused(gateway: CardlinkGateway) -> None:
    fields = signed(response())
    swapped = [fields[1], fields[0], *fields[2:]]  # mid before version
    with pytest.raises(InvalidSignature):
        gateway.parse_response(body(swapped))


def test_swapping_two_equal_values_is_refused_though_the_digest_still_matches(
    gateway: CardlinkGateway,
) -> None:
    fields = signed(response())  # orderAmount and paymentTotal are both 12.50
    names = [n for n, _ in fields]
    i, j = names.index("orderAmount"), names.index("paymentTotal")
    swapped = list(fields)
    swapped[i], swapped[j] = fields[j], fields[i]
    with pytest.raises(InvalidSignature, match="order"):
        gateway.parse_response(body(swapped))


def test_renaming_values_to_pay_another_order_is_refused(gateway: CardlinkGateway) -> None:
    """Values keep their concatenation when a boundary moves: the mid's last digit could
    become the start of another order's id. The mid must be ours and come before orderid."""
    fields = signed(response(orderid="55at1"))  # mid ends in 6
    values = dict(fields)
    shifted = [
        ("version", "2" + MID[:-1]),
        ("orderid", MID[-1] + "55at1"),
        *[(n, v) for n, v in fields if n not in {"version", "mid", "orderid"}],
    ]
    assert "".join(v for n, v in shifted if n != "digest") == "".join(
        v for n, v in fields if n != "digest"
    )
    assert values["digest"] == dict(shifted)["digest"]
    with pytest.raises(InvalidSignature, match="mid"):
        gateway.parse_response(body(shifted))


def test_another_merchants_response_is_refused() -> None:
    gateway = CardlinkGateway(mid="0000000001", secret=SECRET, url=URL)
    with pytest.raises(InvalidSignature, match="merchant"):
        gateway.parse_response(body(signed(response())))


def test_a_repeated_field_is_refused(gateway: CardlinkGateway) -> None:
    fields = signed(response("REFUSED"))
    with pytest.raises(InvalidSignature, match="repeated"):
        gateway.parse_response(body([*fields, ("status", "CAPTURED")]))


def test_charset_and_submit_button_are_not_signed(gateway: CardlinkGateway) -> None:
    fields = signed(response())
    posted = [("_charset_", "UTF-8"), *fields, ("submitButton", "Continue")]
    assert gateway.parse_response(body(posted)).outcome == "paid"


def test_bonus_fields_are_left_out_of_the_main_digest(gateway: CardlinkGateway) -> None:
    bonus = [
        ("xlsbonusadjamt", "1.00"),
        ("xlsbonustxid", "77"),
        ("xlsbonusstatus", "CAPTURED"),
        ("xlsbonusdetails", "points"),
    ]
    bonus_digest = b64sha("1.0077CAPTUREDpoints" + SECRET)
    fields = signed(response())
    posted = [*fields[:-1], *bonus, ("xlsbonusdigest", bonus_digest), fields[-1]]
    assert gateway.parse_response(body(posted)).outcome == "paid"


def test_a_wrong_bonus_digest_is_refused(gateway: CardlinkGateway) -> None:
    fields = signed(response())
    posted = [*fields[:-1], ("xlsbonusadjamt", "1.00"), ("xlsbonusdigest", "AAAA"), fields[-1]]
    with pytest.raises(InvalidSignature, match="bonus"):
        gateway.parse_response(body(posted))


def test_bonus_fields_without_their_digest_change_nothing(gateway: CardlinkGateway) -> None:
    fields = signed(response())
    posted = [*fields[:-1], ("xlsbonusadjamt", "5.00"), fields[-1]]
    assert gateway.parse_response(body(posted)).amount_cents == 1250


@pytest.mark.parametrize(
    ("changes", "amount"),
    [
        ({"orderAmount": "0.01", "paymentTotal": "0.01"}, 1),
        ({"orderAmount": "12345.67", "paymentTotal": "12345.67"}, 1234567),
        ({"orderAmount": "12.5", "paymentTotal": "12.5"}, 1250),
        ({"orderAmount": "12.505", "paymentTotal": "12.505"}, None),
        ({"orderAmount": "12.50", "paymentTotal": "11.50"}, None),  # charged ≠ ordered
        ({"orderAmount": "12.50", "paymentTotal": ""}, 1250),
        ({"currency": "USD"}, None),
        ({"currency": ""}, None),
        ({"orderAmount": ""}, None),
    ],
)
def test_response_amount(gateway: CardlinkGateway, changes: dict[str, str], amount: int) -> None:
    assert gateway.parse_response(body(signed(response(**changes)))).amount_cents == amount


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"digest",  # not name=value
        b"status=CAPTURED&digest=%FF",  # not UTF-8
        "status=CAPTURED&digest=x&message=Γεια".encode(),  # not urlencoded
        b"&".join(b"f%d=1" % n for n in range(100)),
    ],
)
def test_a_body_that_is_not_a_form_is_refused(gateway: CardlinkGateway, raw: bytes) -> None:
    with pytest.raises(InvalidSignature):
        gateway.parse_response(raw)


def test_plus_and_percent_encoding_are_decoded_before_verifying(gateway: CardlinkGateway) -> None:
    fields = signed(response(message="OK, 00 - Approved & done"))
    raw = urlencode(fields).encode()  # spaces as "+", "&" as %26
    assert b"+" in raw
    assert gateway.parse_response(raw).message == "OK, 00 - Approved & done"
