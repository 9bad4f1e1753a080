"""Keyword side of the hybrid search: a small BM25 over an inverted index held in numpy.

Scoring a query touches only the postings of its terms, so it stays well under a
millisecond at 10k passages. Pure: built from texts, no I/O.
"""
from __future__ import annotations

import functools
import math
import re
import threading
from collections import Counter

import numpy as np
import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")
_STEMMER_LOCK = threading.Lock()
_TOKEN = re.compile(r"[a-z0-9]+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its itself
just me more most my myself no nor not now of off on once only or other our ours ourselves out
over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves s t d ll m re ve
also may might must shall us get got let make made way ways much many thing things
""".split())


# British and American spellings meet before stemming ("organised"/"organized", "behaviour"/
# "behavior"): a program's guidelines and its people don't always spell alike. Applied to the
# passages and the questions alike, so a word it rewrites needlessly ("promise") still matches itself.
_ISE = re.compile(r"(?<=[a-z]{4})is(e|ed|es|ing|ation|ations|er|ers)$")
_OUR = re.compile(r"(?<=[a-z]{3})our(s|ed|ing|able|ably)?$")


def _one_spelling(word: str) -> str:
    return _OUR.sub(r"or\1", _ISE.sub(r"iz\1", word))


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem of the word's one spelling: 'meetings'/'meeting' -> 'meet',
    'organised'/'organized' -> 'organiz'. Cached: a corpus has far fewer distinct words than words."""
    word = _one_spelling(word)
    with _STEMMER_LOCK:  # a snowball stemmer keeps its work in the object: one caller at a time
        return _STEMMER.stemWord(word)


def tokenize(text: str) -> list[str]:
    words = _TOKEN.findall(text.lower().translate(_APOSTROPHES).replace("'", ""))
    return [stem(w) for w in words if w not in _STOPWORDS and len(w) > 1]


class LexicalIndex:
    """BM25 (k1=1.2, b=0.75) with scores normalised to about [0, 1] per query."""

    def __init__(self, texts: list[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.size = len(texts)
        counts = [Counter(tokenize(text)) for text in texts]
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float32)
        avg = float(lengths.mean()) if self.size else 1.0
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for doc, counter in enumerate(counts):
            for term, tf in counter.items():
                docs, tfs = postings.setdefault(term, ([], []))
                docs.append(doc)
                tfs.append(tf)
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._idf: dict[str, float] = {}
        for term, (docs, tfs) in postings.items():
            doc_ids = np.array(docs, dtype=np.int32)
            tf = np.array(tfs, dtype=np.float32)
            norm = k1 * (1 - b + b * lengths[doc_ids] / max(avg, 1e-9))
            self._postings[term] = (doc_ids, tf * (k1 + 1) / (tf + norm))
            self._idf[term] = math.log(1 + (self.size - len(docs) + 0.5) / (len(docs) + 0.5))
        # A query word the passages never use counts as the rarest word would: a question
        # about something the guidelines don't mention should not score as fully matched.
        self._unseen_idf = math.log(1 + (self.size + 0.5) / 0.5) if self.size else 1.0

    def scores(self, query: str) -> np.ndarray:
        """BM25 of every passage, divided by what a passage using each query word once gets."""
        result = np.zeros(self.size, dtype=np.float32)
        terms = set(tokenize(query))
        if not terms or not self.size:
            return result
        total = 0.0
        for term in terms:
            idf = self._idf.get(term)
            if idf is None:
                total += self._unseen_idf
                continue
            total += idf
            doc_ids, weights = self._postings[term]
            result[doc_ids] += idf * weights
        return np.minimum(result / total, 1.0)
