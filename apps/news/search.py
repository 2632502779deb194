"""Chinese word segmentation (jieba) for indexing and querying articles.

jieba builds its prefix dictionary lazily (about a second): :func:`tokenizer` builds it once
per process and every caller shares it.
"""

import logging
import re
import threading

import jieba

jieba.setLogLevel(logging.WARNING)

MAX_QUERY_CHARS = 60
MAX_QUERY_TERMS = 8
_WORD = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)
_lock = threading.Lock()
_tokenizer = None

# Words of the union's vocabulary that jieba's general dictionary would split.
UNION_WORDS = [
    "劳模",
    "劳模工匠",
    "助企行",
    "驿站",
    "户外劳动者驿站",
    "十件实事",
    "老黄维权站",
    "法律服务",
    "法律服务站",
    "职工书屋",
    "职工服务中心",
    "普惠平台",
    "新业态",
    "庭审观摩",
    "实景课堂",
    "兴惠有你",
    "五一劳动奖章",
    "五一创新能手",
    "劳模创新工作室",
    "劳模创新工作联盟",
    "市总工会",
    "工会专刊",
]


def tokenizer() -> jieba.Tokenizer:
    """The process-wide jieba tokenizer, initialised on first use."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                tok = jieba.Tokenizer()
                tok.initialize()
                for word in UNION_WORDS:
                    tok.add_word(word, freq=20000)
                _tokenizer = tok
    return _tokenizer


def _is_word(token: str) -> bool:
    return bool(_WORD.search(token))


def segment(text: str) -> str:
    """Text cut into words (accurate mode), separated by single spaces; punctuation kept.

    Removing the spaces between CJK characters gives the original text back, so snippets
    can be shown from it.
    """
    tokens = (t.strip() for t in tokenizer().cut(text or "", HMM=True))
    return " ".join(t for t in tokens if t)


def index_terms(text: str) -> str:
    """Every word and sub-word (search mode) of a text, for the search index."""
    tokens = (t.strip().lower() for t in tokenizer().cut_for_search(text or "", HMM=True))
    return " ".join(t for t in tokens if t and _is_word(t))


def query_clean(raw: str | None) -> str:
    """A user's search box input, trimmed to a sane length."""
    return " ".join((raw or "").split())[:MAX_QUERY_CHARS]


def query_terms(raw: str | None) -> list[list[str]]:
    """The search words of a query: each word with the sub-words that may stand for it.

    "法律服务" gives [["法律服务", "法律", "服务"]]: a document matches the word itself or all
    of its sub-words (so 法律服务站 is found). Punctuation-only input gives [].
    """
    tok = tokenizer()
    terms: list[list[str]] = []
    seen = set()
    for word in tok.cut(query_clean(raw), HMM=True):
        word = word.strip().lower()
        if not word or not _is_word(word) or word in seen:
            continue
        seen.add(word)
        subs = [s.lower() for s in tok.cut_for_search(word, HMM=True) if s.lower() != word and _is_word(s)]
        # Only sub-words that together cover the word are a fair stand-in for it.
        if subs and len("".join(dict.fromkeys(s for s in subs if len(s) < len(word)))) < len(word):
            subs = []
        terms.append([word, *dict.fromkeys(subs)])
        if len(terms) >= MAX_QUERY_TERMS:
            break
    return terms


_SPACE_NEAR_CJK = re.compile(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])")


def unsegment(text: str) -> str:
    """Undo :func:`segment` for display: drop the spaces next to non-ASCII characters."""
    text = re.sub(r"(?<=[^\x00-\x7f]) (?=<mark>)|(?<=</mark>) (?=[^\x00-\x7f])", "", text)
    text = re.sub(r"(?<=</mark>) (?=<mark>)", "", text)
    return _SPACE_NEAR_CJK.sub("", text)
