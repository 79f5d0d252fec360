"""Bytes → text: BOM, UTF-8, then GB18030 (never GBK), with a plausibility check against mis-decodings."""

from __future__ import annotations

import re

from pathlib import Path

from drafter.errors import InputError

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# Characters a Chinese report can contain; anything else (Cyrillic from GBK-as-UTF-8, Hangul, private use…)
# makes a decoding suspect.
_ODD_CHAR = re.compile(
    r"[^\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u2bff\u3000-\u303f\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]"
)
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_BINARY_CHAR = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
GB_LABELS = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "cp936", "euc-cn", "gb18030", "csgb2312", "chinese"}


def _odd_chars(text: str) -> str:
    """The characters of `text` that a Chinese report does not contain, in order."""
    return "".join(_ODD_CHAR.findall(text))


def _plausible(text: str, odd: str) -> bool:
    return len(odd) / max(1, len(text)) <= 0.02


def _mostly_gb2312(text: str) -> bool:
    """Real simplified-Chinese text is nearly all GB2312; Big5 or UTF-16 bytes read as GB18030 are not."""
    non_ascii = sum(1 for ch in text if ord(ch) > 0x7F)
    if not non_ascii:
        return True
    unencodable = text.encode("gb2312", errors="replace").count(b"?") - text.count("?")
    return unencodable <= 0.05 * non_ascii


def decode_text(raw: bytes) -> tuple[str, str]:
    """Decode plain-text bytes: BOM, then UTF-8, then GB18030 (never GBK: 䶮 and others are missing there).

    Returns (text, encoding). Raises InputError for binary content or bytes that decode only to garbage.
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                raise InputError(f"invalid {encoding.upper()} despite its byte-order mark") from None
            return text.lstrip("\ufeff"), encoding
    if b"\x00" in raw:
        raise InputError("binary content, not text (or UTF-16 without a byte-order mark)")
    utf8: str | None
    try:
        utf8 = raw.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    utf8_odd = _odd_chars(utf8) if utf8 is not None else ""
    if utf8 is not None and _plausible(utf8, utf8_odd):
        return _reject_binary(utf8, utf8_odd), "utf-8"
    try:
        gb = raw.decode("gb18030")
    except UnicodeDecodeError:
        gb = None
    if gb is not None:
        gb_odd = _odd_chars(gb)
        if _plausible(gb, gb_odd) and _mostly_gb2312(gb):
            return _reject_binary(gb, gb_odd), "gb18030"
    if utf8 is not None:  # valid UTF-8 that merely is not Chinese; still the truthful reading
        return _reject_binary(utf8, utf8_odd), "utf-8"
    # A UTF-8 file damaged in a few places (a download cut mid-character): keep it, marking the damage with
    # U+FFFD, rather than refuse a whole report. GB18030 text is never this close to valid UTF-8.
    patched = raw.decode("utf-8", errors="replace")
    if patched.count("\ufffd") <= min(10, len(patched) // 1000 + 1):
        patched_odd = _odd_chars(patched)
        if _plausible(patched, patched_odd):
            return _reject_binary(patched, patched_odd), "utf-8"
    raise InputError("cannot decode: not UTF-8 or GB18030 text (binary file, Big5 or UTF-16 without BOM?)")


def read_text_file(path: Path) -> str:
    """A plain-text file (a draft as Notepad re-saved it: GBK, UTF-16…) through the same cascade as reports."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    return decode_text(raw)[0]


def _reject_binary(text: str, odd: str) -> str:
    """`text`, unless binary characters make up more than 1 % of it; they are among its `odd` characters, so
    only those are scanned again."""
    if len(_BINARY_CHAR.findall(odd)) > 0.01 * max(1, len(text)):
        raise InputError("binary content, not text")
    return text


Read = tuple[str, "str | None", "str | None"]  # body text, encoding, title hint
