"""Text that every XML writer can carry.

XML 1.0 cannot hold most control characters, even escaped; lxml refuses
them and other writers produce documents no parser reads. Validation refuses
them in data (shape ``kgsh:TextCharacters``); writers still make text safe,
for data that never went through validation.
"""

from __future__ import annotations

import re

__all__ = ["xml_safe"]

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold replaced by U+FFFD.

    >>> xml_safe("bell\\x07 and tab\\t")
    'bell\\ufffd and tab\\t'
    """
    return _NOT_XML.sub("\ufffd", text) if _NOT_XML.search(text) else text
