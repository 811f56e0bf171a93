"""The text of an uploaded CSV file, as Greek offices produce them."""


class NotTextError(ValueError):
    """The bytes are neither UTF-8 nor Greek Windows text; `binary` when not text at all."""

    def __init__(self, *, binary: bool) -> None:
        super().__init__("binary file" if binary else "neither UTF-8 nor cp1253")
        self.binary = binary


def decode_greek_text(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Greek Windows (cp1253), which older
    Excel versions still write; anything else (a workbook, a binary) is refused."""
    if b"\x00" in data:
        raise NotTextError(binary=True)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1253")
    except UnicodeDecodeError:
        raise NotTextError(binary=False) from None
