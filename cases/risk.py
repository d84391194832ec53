"""Risk at intake: which reports say that a child may hurt themselves.

A report is flagged when its category is a mental-health crisis (MHR and its sub-categories), when the reporter
answers "yes" to the safety question, or when its text contains one of the danger phrases admins keep in
`DangerPhrase`. A flagged report is P1 (`cases.services.initial_priority`).

Matching a phrase is done word by word on whole words, ignoring case. Many young people type without diacritics,
so a word written without any diacritic matches a phrase word with the same letters ("tu tu" matches "tự tử");
a word written WITH diacritics must carry the phrase word's own marks ("tủ tủ", "tư tưởng", "tựu trường" and
"từ từ" do not match "tự tử", and a phrase entered without diacritics, like "tu tu", only matches text without
them). Marks are compared as a set, so both Vietnamese tone placements ("hoà" / "hòa") are the same word.
"""

import logging
import re
import unicodedata
import uuid
from dataclasses import dataclass

from django.core.cache import cache

from cases.models import DangerPhrase, SafetyAnswer

logger = logging.getLogger(__name__)

CRISIS_CATEGORIES = {"MHR"}
PHRASES_VERSION_KEY = "risk:danger-phrases:version"
PHRASES_CACHE_SECONDS = 15 * 60  # a safety net: admin edits clear the version at once (forget_danger_phrases)

_memo: tuple[str, list] | None = None  # (version, phrases) of this process

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Word:
    letters: str  # lower case, without diacritics; "đ" is "d"
    marks: tuple  # the diacritics, sorted (đ counts as one)


def _word(token):
    decomposed = unicodedata.normalize("NFD", token.lower())
    marks = sorted(char for char in decomposed if unicodedata.combining(char))
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    if "đ" in letters:
        marks += ["đ"] * letters.count("đ")
        letters = letters.replace("đ", "d")
    return Word(letters, tuple(sorted(marks)))


def words(text):
    """The words of a text, for matching."""
    return [_word(token) for token in _WORD.findall(unicodedata.normalize("NFC", text or ""))]


def _same(text_word, phrase_word):
    if text_word.letters != phrase_word.letters:
        return False
    return not text_word.marks or text_word.marks == phrase_word.marks


def _contains(text_words, phrase_words):
    size = len(phrase_words)
    if not size:
        return False
    first = phrase_words[0].letters
    for start in range(len(text_words) - size + 1):
        if text_words[start].letters == first and all(
            _same(text_words[start + i], phrase_words[i]) for i in range(size)
        ):
            return True
    return False


def danger_phrases():
    """The active phrases as (id, phrase, words), read from the database once per version of the list and kept in
    this process's memory (unpickling the list from Redis for every report cost intake 8 % of its time).

    The version is a token in the shared cache that `forget_danger_phrases` replaces when an admin changes the
    list, so every process reads it again at its next report; it also expires after PHRASES_CACHE_SECONDS. With
    the cache (Redis) down the list is read from the database: a child's report must still be assessed."""
    global _memo
    try:
        version = cache.get(PHRASES_VERSION_KEY)
        if version is None:
            cache.add(PHRASES_VERSION_KEY, uuid.uuid4().hex, PHRASES_CACHE_SECONDS)
            version = cache.get(PHRASES_VERSION_KEY)
    except Exception:  # noqa: BLE001
        logger.warning("danger phrases: cache unavailable, reading the database")
        version = None
    memo = _memo
    if version is not None and memo is not None and memo[0] == version:
        return memo[1]
    rows = DangerPhrase.objects.filter(active=True).values_list("pk", "phrase")
    phrases = [(pk, phrase, tuple(words(phrase))) for pk, phrase in rows]
    if version is not None:
        _memo = (version, phrases)
    return phrases


def forget_danger_phrases():
    """Called when an admin changes the list: every process reads it again at its next report."""
    try:
        cache.delete(PHRASES_VERSION_KEY)
    except Exception:  # noqa: BLE001
        logger.error("danger phrases: could not clear the cached list; it expires within %s s", PHRASES_CACHE_SECONDS)


def matching_phrases(text):
    """The danger phrases found in `text`, as (id, phrase) pairs."""
    text_words = words(text)
    return [(pk, phrase) for pk, phrase, phrase_words in danger_phrases() if _contains(text_words, phrase_words)]


def risk_reasons(*, category, safety_answer="", text=""):
    """Why this report is a risk of self-harm, as facts safe to store and show staff (never the reporter's text):
    a list of {"kind": "category"|"safety_question"|"phrase", ...}. Empty when nothing points to a risk."""
    reasons = []
    if category.top_level.code in CRISIS_CATEGORIES:
        reasons.append({"kind": "category", "code": category.top_level.code})
    if safety_answer == SafetyAnswer.YES:
        reasons.append({"kind": "safety_question", "answer": SafetyAnswer.YES.value})
    for pk, phrase in matching_phrases(text):
        reasons.append({"kind": "phrase", "id": pk, "label": phrase})
    return reasons
