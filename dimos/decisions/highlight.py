"""Matched words in <mark>, and a snippet of the PDF text around the first hit.

The text is escaped first and only then wrapped, so nothing from a PDF or a subject can
become markup. Matching is done on normalised text (normalize_greek), mapped back to the
original characters, so «ΑΠΟΦΑΣΗ» marks «απόφαση».

A results page marks twenty texts of thousands of characters each: one compiled expression
finds the matching words (not a Python loop over every word for every pattern), and the
snippet looks only for the first match in the whole text, then marks the words of its
window alone.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dimos.core.greek import normalize_greek

_WORD = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"[ \t\n\r]")
_CHUNK = 2000
# Texts are folded character by character (to map matches back); a text has few distinct
# characters, so each is normalised once per process, not once per occurrence.
_fold_char = lru_cache(maxsize=4096)(normalize_greek)


@dataclass(frozen=True)
class Pattern:
    """What marks a word: `text` anywhere in it, or (`word_start`) at its start."""

    text: str
    word_start: bool = False


def _folded(text: str) -> tuple[str, list[int] | None]:
    """The normalised text and, for each of its characters, the index in `text`; the map is
    None when every character folds to exactly one (the usual case: indexes are the same)."""
    if all(len(_fold_char(ch)) == 1 for ch in set(text)):
        return "".join(map(_fold_char, text)), None
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        chars.append(folded)
        index.extend([i] * len(folded))
    return "".join(chars), index


@lru_cache(maxsize=256)
def _matcher(patterns: tuple[Pattern, ...]) -> re.Pattern[str] | None:
    """One expression for whole words that match any of `patterns`.

    A pattern that is not a word (empty, or with a space or a sign) never lies inside one.
    """
    usable = [p for p in patterns if _WORD.fullmatch(p.text)]
    anywhere = sorted({re.escape(p.text) for p in usable if not p.word_start})
    at_start = sorted({re.escape(p.text) for p in usable if p.word_start})
    alternatives = []
    if anywhere:
        alternatives.append(r"\w*(?:" + "|".join(anywhere) + r")\w*")
    if at_start:
        alternatives.append("(?:" + "|".join(at_start) + r")\w*")
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + ")")


def _original(span: tuple[int, int], index: list[int] | None) -> tuple[int, int]:
    start, end = span
    return (start, end) if index is None else (index[start], index[end - 1] + 1)


def spans(text: str, patterns: list[Pattern]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) ranges of `text` that match, in order: whole words."""
    matcher = _matcher(tuple(patterns)) if text else None
    if matcher is None:
        return []
    folded, index = _folded(text)
    return [_original(m.span(), index) for m in matcher.finditer(folded)]


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """`text` in pieces of about _CHUNK characters, each (but the last) ending with a space,
    so no word is cut (a space folds to itself), with the offset of each."""
    start = 0
    while start < len(text):
        space = _SPACE.search(text, start + _CHUNK)
        end = space.end() if space else len(text)
        yield start, text[start:end]
        start = end


def _first_span(text: str, patterns: list[Pattern]) -> tuple[int, int] | None:
    """The first match, found piece by piece: a long PDF text is not folded past it."""
    matcher = _matcher(tuple(patterns)) if text else None
    if matcher is None:
        return None
    for offset, piece in _chunks(text):
        folded, index = _folded(piece)
        found = matcher.search(folded)
        if found:
            start, end = _original(found.span(), index)
            return offset + start, offset + end
    return None


def highlight(text: str, patterns: list[Pattern]) -> SafeString:
    """`text`, escaped, with each match wrapped in <mark>."""
    out: list[str] = []
    last = 0
    for start, end in spans(text, patterns):
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped


def snippet(text: str, patterns: list[Pattern], width: int = 220) -> SafeString:
    """About `width` characters of `text` around its first match, highlighted; "" if none."""
    first = _first_span(text, patterns)
    if first is None:
        return mark_safe("")
    start, end = first
    left = max(0, start - width // 2)
    right = min(len(text), max(end, left + width))
    if left > 0:  # begin at a word
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    piece = " ".join(text[left:right].split())
    body = highlight(piece, patterns)
    prefix = "… " if left > 0 else ""
    suffix = " …" if right < len(text) else ""
    return mark_safe(f"{prefix}{body}{suffix}")  # noqa: S308 - body is escaped by highlight()
