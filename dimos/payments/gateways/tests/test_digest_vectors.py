"""The protocol's published digest vectors, reproduced exactly (payments.md §2.1).

Inputs copied from gentor/omnipay-cardlink tests/Omnipay/Cardlink/DigestTest.php (secret
"Cardlink1", SHA-256) and tests/.../Message/CompletePurchaseResponseTest.php (empty secret,
SHA-1, the older configuration). PHP's `version => 2` is the string "2" once concatenated.
"""

import base64
import hashlib

import pytest

from dimos.payments.gateways import CardlinkGateway, InvalidSignature
from dimos.payments.gateways.cardlink import compute_digest

SECRET = "Cardlink1"
DEMO_CONFIRM = "https://euro.test.modirum.com/vpostestsv4/shops/shopdemo.jsp?cmd=confirm"
DEMO_CANCEL = "https://euro.test.modirum.com/vpostestsv4/shops/shopdemo.jsp?cmd=cancel"

# DigestTest::testDigest
ENGLISH_VECTOR = [
    ("version", "2"),
    ("mid", "0101119349"),
    ("lang", "en"),
    ("deviceCategory", "0"),
    ("orderid", "O170911143656"),
    ("orderDesc", "Test order some items"),
    ("orderAmount", "0.12"),
    ("currency", "EUR"),
    ("payerEmail", "cardlink@cardlink.gr"),
    ("payerPhone", "6900000000"),
    ("element", "GRUK"),
    ("payMethod", "visa"),
    ("confirmUrl", DEMO_CONFIRM),
    ("cancelUrl", DEMO_CANCEL),
]
ENGLISH_DIGEST = "Xw19+XA5lQXbzEHvvFYe1Zrm7N+rvpdIvzuIyM9HY3Q="

# DigestTest::testWorkingRequest — Greek billing city and address ("deviceategory" [sic]).
GREEK_VECTOR = [
    ("version", "2"),
    ("mid", "0020893996"),
    ("lang", "el"),
    ("deviceategory", "0"),
    ("orderid", "O200623145349"),
    ("orderDesc", "Test"),
    ("orderAmount", "1"),
    ("currency", "EUR"),
    ("payerEmail", "demo@modirum.com"),
    ("payerPhone", ""),
    ("billCountry", "GR"),
    ("billState", "ATH"),
    ("billZip", "118 52"),
    ("billCity", "Αθήνα"),
    ("billAddress", "Μαρίνου Αντύπα"),
    ("confirmUrl", DEMO_CONFIRM),
    ("cancelUrl", DEMO_CANCEL),
]
GREEK_DIGEST = "rI8zdYSJnNIRxsVtfVvbO3pUoR1+1PZR4ohnAkzhVTE="


def values(fields: list[tuple[str, str]]) -> list[str]:
    return [value for _, value in fields]


def test_english_vector() -> None:
    assert compute_digest(values(ENGLISH_VECTOR), SECRET) == ENGLISH_DIGEST


def test_greek_text_vector_is_utf8() -> None:
    assert compute_digest(values(GREEK_VECTOR), SECRET) == GREEK_DIGEST


def test_vectors_with_plain_hashlib() -> None:
    """The formula itself, written out once more without our code."""
    for fields, expected in ((ENGLISH_VECTOR, ENGLISH_DIGEST), (GREEK_VECTOR, GREEK_DIGEST)):
        data = ("".join(values(fields)) + SECRET).encode("utf-8")
        assert base64.b64encode(hashlib.sha256(data).digest()).decode() == expected


def test_gateway_digest_reproduces_the_vectors() -> None:
    gateway = CardlinkGateway(mid="0101119349", secret=SECRET, url="https://vpos.example/")
    assert gateway.digest(values(ENGLISH_VECTOR)) == ENGLISH_DIGEST
    assert gateway.digest(values(GREEK_VECTOR)) == GREEK_DIGEST


def test_older_php_vectors_were_double_encoded_and_are_not_ours() -> None:
    """Two older versions of DigestTest.php expected digests that PHP's utf8_encode() produced
    by encoding UTF-8 text a second time (as if it were Latin-1). The gateway digests UTF-8
    once, as the vectors above and Cardlink's own plugin show; we must not copy that bug."""
    fields = [(n, "UsingGreekCharsΓ" if n == "orderDesc" else v) for n, v in ENGLISH_VECTOR]
    joined = "".join(values(fields)) + SECRET
    double = joined.encode("utf-8").decode("latin-1").encode("utf-8")
    double_encoded = base64.b64encode(hashlib.sha256(double).digest()).decode()
    assert double_encoded == "FUypWRVCh+Q4qdpArKME2OQZlm+anJU4iHwigY6Bp60="
    assert compute_digest(values(fields), SECRET) != double_encoded


OMNIPAY_CANCELED = ["1234", "ABC123", "CANCELED", "0.03", "EUR", "0.03", "Failed, user canceled"]
OMNIPAY_CAPTURED = ["1234", "ABC123", "CAPTURED", "0.03", "EUR", "0.03", "OK, 00 - Approved"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ([*OMNIPAY_CANCELED, "", "123456789"], "gvTEdfBkqUOuHA3Dl5xEDmxNf0s="),
        (
            [*OMNIPAY_CAPTURED, "0", "mastercard", "123456789", "123456"],
            "Svp9WX6D9ASM/0gHvWIAL1PSsC4=",
        ),
    ],
)
def test_sha1_response_vectors(fields: list[str], expected: str) -> None:
    """omnipay's response samples: SHA-1, empty secret, the 28-character digests."""
    assert compute_digest(fields, "", "sha1") == expected


def test_sha1_first_vector() -> None:
    assert compute_digest(["one", "two"], "xyz", "sha1") == "2PyXWhzQtfX4tLJEVHKx5C8wnQk="


def test_unknown_algorithm_is_refused() -> None:
    with pytest.raises(ValueError, match="md5"):
        compute_digest(["a"], SECRET, "md5")


def test_a_signed_request_is_not_accepted_as_a_response() -> None:
    """The vector is a correctly signed *request*: its fields are not a response's."""
    gateway = CardlinkGateway(mid="0101119349", secret=SECRET, url="https://vpos.example/")
    with pytest.raises(InvalidSignature, match="lang"):
        gateway.verify([*ENGLISH_VECTOR, ("digest", ENGLISH_DIGEST)])
