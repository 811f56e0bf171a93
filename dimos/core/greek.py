"""Greek text normalisation for search: accents, case and final sigma do not matter."""

import unicodedata


def normalize_greek(text: str) -> str:
    """«ΑΠΟΦΑΣΗ», «Απόφαση» and «αποφαση» all become «αποφαση»."""
    decomposed = unicodedata.normalize("NFD", text)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", without_marks).casefold().replace("ς", "σ")
