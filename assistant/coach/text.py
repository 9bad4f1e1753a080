"""A mentee's message as the rules read it, for the goal and the prep chat alike."""
from __future__ import annotations

# Phones and word processors type ’ ‘ “ ”; the rules' patterns ("don'?t", "that'?s it") use ' and ".
_PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def plain(text: str) -> str:
    """`text` with curly apostrophes and quotes made straight and white space folded to single spaces."""
    return " ".join(text.translate(_PLAIN).split())
