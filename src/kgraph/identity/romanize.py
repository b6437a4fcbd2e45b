"""Names in any script as plain Latin letters, the way English-language
news writes them.

Three scripts get the conventions the region's press follows (after the
BGN/PCGN romanisations), because a general table reads them otherwise:

- **Armenian**: ``ու`` is ``u``, ``ե`` is ``ye`` and ``ո`` is ``vo`` at the
  start of a word, aspirates lose their apostrophe (``Փաշինյան`` ->
  ``pashinyan``, ``Հարությունյան`` -> ``harutyunyan``);
- **Azerbaijani** (tagged ``az``, or a name with ``ə``): ``x`` -> ``kh``,
  ``c`` -> ``j``, ``ç`` -> ``ch``, ``ş`` -> ``sh``, ``ğ`` -> ``gh``,
  ``ı`` -> ``y``, ``q`` -> ``g``, ``ə`` -> ``a`` (``Xocalı`` -> ``khojaly``,
  ``Məmmədov`` -> ``mammadov``);
- **Turkish** (tagged ``tr``): ``c`` -> ``j``, ``ç`` -> ``ch``, ``ş`` ->
  ``sh``, ``ı`` -> ``i``, ``ğ`` silent.

Every other script (Russian and the other Cyrillic alphabets, Georgian,
Greek, Arabic, ...) goes through AnyAscii, a maintained transliteration
table for all of Unicode (``Мамедов`` -> ``mamedov``). The result is lower
case ASCII letters, digits and single spaces; hyphens and apostrophes are
gone.

>>> romanize("Շահրամանյան")
'shahramanyan'
>>> romanize("Xankəndi", "az-Latn")
'khankandi'
>>> romanize("Ходжалы")
'khodzhaly'
"""

from __future__ import annotations

from functools import lru_cache

import re

from anyascii import anyascii

from .normalize import normal_form, script_of

__all__ = ["romanize", "romanizations", "language_of"]

_ARMENIAN = {
    "ա": "a", "բ": "b", "գ": "g", "դ": "d", "ե": "e", "զ": "z", "է": "e", "ը": "y", "թ": "t", "ժ": "zh",
    "ի": "i", "լ": "l", "խ": "kh", "ծ": "ts", "կ": "k", "հ": "h", "ձ": "dz", "ղ": "gh", "ճ": "ch", "մ": "m",
    "յ": "y", "ն": "n", "շ": "sh", "ո": "o", "չ": "ch", "պ": "p", "ջ": "j", "ռ": "r", "ս": "s", "վ": "v",
    "տ": "t", "ր": "r", "ց": "ts", "ւ": "v", "փ": "p", "ք": "k", "օ": "o", "ֆ": "f", "և": "ev",
}
_ARMENIAN_INITIAL = {"ե": "ye", "ո": "vo", "և": "yev"}

_AZERBAIJANI = str.maketrans({"ə": "a", "x": "kh", "c": "j", "ç": "ch", "ş": "sh", "ğ": "gh", "ı": "y",
                              "q": "g", "ö": "o", "ü": "u", "j": "zh"})
_TURKISH = str.maketrans({"c": "j", "ç": "ch", "ş": "sh", "ğ": "", "ı": "i", "ö": "o", "ü": "u"})

_NOT_KEPT = re.compile(r"[^a-z0-9]+")


def language_of(name: str, language: str | None = None) -> str | None:
    """The language whose romanisation applies: the tag's primary subtag if
    given, else ``hy`` for Armenian letters, ``az`` for a name with ``ə``."""
    if language:
        return language.split("-", 1)[0].lower()
    if any(script_of(c) == "ARMENIAN" for c in name):
        return "hy"
    if "ə" in name.casefold():
        return "az"
    return None


def _armenian(text: str) -> str:
    out = []
    previous_letter = False
    i = 0
    while i < len(text):
        char = text[i]
        if char == "ո" and text[i + 1:i + 2] == "ւ":
            out.append("u")
            i += 2
            previous_letter = True
            continue
        if char in _ARMENIAN:
            out.append(_ARMENIAN_INITIAL.get(char, _ARMENIAN[char]) if not previous_letter else _ARMENIAN[char])
            previous_letter = True
        else:
            out.append(char)
            previous_letter = char.isalpha()
        i += 1
    return "".join(out)


@lru_cache(maxsize=65536)
def romanize(name: str, language: str | None = None) -> str:
    """``name`` in lower-case ASCII (see the module's description);
    ``language`` is a BCP 47 tag such as ``hy-Armn`` or ``az-Latn``."""
    text = normal_form(name)
    if text.isascii() and language is None:
        return _NOT_KEPT.sub(" ", text.replace("'", "")).strip()
    lang = language_of(text, language)
    if lang == "hy" or any(script_of(c) == "ARMENIAN" for c in text):
        text = _armenian(text)
    if lang == "az":
        text = text.translate(_AZERBAIJANI)
    elif lang == "tr":
        text = text.translate(_TURKISH)
    text = anyascii(text).lower()
    return _NOT_KEPT.sub(" ", text.replace("'", "")).strip()


#: Letters an Azerbaijani (or Turkish) spelling has and English seldom does.
_AZ_LETTERS = set("əışçğxq")


def romanizations(name: str, language: str | None = None) -> list[str]:
    """Every romanisation worth trying for ``name``, the first being
    :func:`romanize`'s: for an untagged Latin name with ``x``, ``q``, ``ı``,
    ``ş``, ``ç`` or ``ğ`` also the Azerbaijani reading (Xocali is Khojaly; a
    ``c`` alone does not count, English has too many); for a Cyrillic
    name also the reading of ``г`` as ``h``, as Russian writes a foreign h
    (Гаджиев for Hajiyev, Гадрут for Hadrut).

    >>> romanizations("Гадрут")
    ['gadrut', 'hadrut']
    """
    found = [romanize(name, language)]
    folded = normal_form(name)
    if folded.isascii():
        if language is None and ("x" in folded or "q" in folded):
            found.append(romanize(name, "az"))
        return list(dict.fromkeys(found))
    if language is None and any(script_of(c) == "LATIN" for c in folded) and _AZ_LETTERS & set(folded):
        found.append(romanize(name, "az"))
    if "г" in folded and (language is None or language.lower().startswith(("ru", "uk", "be"))):
        found.append(romanize(folded.replace("г", "h"), language))
    return list(dict.fromkeys(found))
