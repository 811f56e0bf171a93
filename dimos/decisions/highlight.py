"""Matched words in <mark>, and a snippet of the PDF text around the first hit.

The text is escaped first and only then wrapped, so nothing from a PDF or a subject can
become markup. Matching is done on normalised text (normalize_greek), mapped back to the
original characters, so «ΑΠΟΦΑΣΗ» marks «απόφαση».
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dimos.core.greek import normalize_greek

_WORD = re.compile(r"\w+", re.UNICODE)
# Texts are folded character by character (to map matches back); a text has few distinct
# characters, so each is normalised once per process, not once per occurrence.
_fold_char = lru_cache(maxsize=4096)(normalize_greek)


@dataclass(frozen=True)
class Pattern:
    """What marks a word: `text` anywhere in it, or (`word_start`) at its start."""

    text: str
    word_start: bool = False


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index in `text`."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        chars.append(folded)
        index.extend([i] * len(folded))
    return "".join(chars), index


def spans(text: str, patterns: list[Pattern]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) ranges of `text` that match, in order."""
    if not text or not patterns:
        return []
    folded, index = _normalised_with_map(text)
    found: list[tuple[int, int]] = []
    for pattern in patterns:
        if not pattern.text:
            continue
        if pattern.word_start:
            for word in _WORD.finditer(folded):
                if word.group().startswith(pattern.text):
                    found.append((word.start(), word.end()))
        else:  # anywhere in a word: the whole word is marked
            for word in _WORD.finditer(folded):
                if pattern.text in word.group():
                    found.append((word.start(), word.end()))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return [(index[s], index[e - 1] + 1) for s, e in merged]


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
    found = spans(text, patterns)
    if not found:
        return mark_safe("")
    start, end = found[0]
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
