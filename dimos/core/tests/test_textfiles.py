import pytest

from dimos.core.textfiles import NotTextError, decode_greek_text


@pytest.mark.parametrize(
    "data", ["Αφμ;Ποσό".encode(), "\ufeffΑφμ;Ποσό".encode(), "Αφμ;Ποσό".encode("cp1253")]
)
def test_utf8_with_or_without_bom_and_greek_windows_are_read(data: bytes) -> None:
    assert decode_greek_text(data) == "Αφμ;Ποσό"


def test_binary_and_undecodable_files_are_refused() -> None:
    with pytest.raises(NotTextError) as binary:
        decode_greek_text(b"PK\x03\x04\x00\x00")
    assert binary.value.binary
    with pytest.raises(NotTextError) as neither:
        decode_greek_text(b"\x98\xff")  # undefined in cp1253, invalid in UTF-8
    assert not neither.value.binary
