"""TF-IDF keywords over a corpus-fitted, incrementally updatable IDF model."""

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

# A word found in more than this share of the documents is generic: it says nothing about
# any one of them (明显, 新增, 数量, 迎来 on real news), so it is never a keyword shown to
# readers nor a reason (推荐理由). On 969 real articles this is every word in more than 19
# of them, the ~1,400 most common; 5 % let 数量 through, 1 % also took 季后赛 and 湖人.
GENERIC_SHARE = 0.02
# Below this many documents a word is not called common, whatever the share: on a site of
# fewer than 1,000 articles the share alone would call the subject of a few of them generic.
GENERIC_MIN_DF = 20


def is_generic(df: int, documents: int) -> bool:
    """Whether a word found in `df` of `documents` documents is too common to name."""
    return df >= GENERIC_MIN_DF and df > GENERIC_SHARE * documents


@dataclass
class IdfModel:
    """Smoothed IDF per term; `df` keeps every document frequency so updates equal refits.

    Terms seen in fewer than `min_df` documents are left out of `idf` and weigh
    `default_idf`, as do terms never seen: as rare as a term seen once.
    """

    idf: dict[str, float]
    default_idf: float
    documents: int
    df: dict[str, int] = field(default_factory=dict)
    min_df: int = 2

    def as_dict(self) -> dict:
        """A JSON-ready form; `idf` is derived, so only counts are kept."""
        return {"documents": self.documents, "min_df": self.min_df, "df": dict(self.df)}

    @classmethod
    def from_dict(cls, data: dict) -> "IdfModel":
        return _model(Counter(data["df"]), int(data["documents"]), int(data["min_df"]))

    def is_generic(self, term: str) -> bool:
        """Whether `term` is too common in this corpus to name (`is_generic`)."""
        return is_generic(self.df.get(term, 0), self.documents)


def _idf(documents: int, df: int) -> float:
    # Smoothed as in scikit-learn: never zero, never negative, defined for an empty corpus.
    return math.log((1 + documents) / (1 + df)) + 1.0


def idf_from_counts(df: dict[str, int], documents: int, *, min_df: int = 2) -> IdfModel:
    """A model from stored document frequencies (a database table, a saved snapshot)."""
    return _model(Counter(df), documents, min_df)


def _model(df: Counter, documents: int, min_df: int) -> IdfModel:
    idf = {term: _idf(documents, count) for term, count in df.items() if count >= min_df}
    return IdfModel(
        idf=idf, default_idf=_idf(documents, 1), documents=documents, df=dict(df), min_df=min_df
    )


def _count(df: Counter, token_lists: Iterable[list[str]]) -> int:
    documents = 0
    for tokens in token_lists:
        documents += 1
        df.update(set(tokens))
    return documents


def idf_fit(token_lists: Iterable[list[str]], *, min_df: int = 2) -> IdfModel:
    """Fit document frequencies over a corpus of token lists, one list per document."""
    if min_df < 1:
        raise ValueError("min_df must be at least 1")
    df: Counter = Counter()
    documents = _count(df, token_lists)
    return _model(df, documents, min_df)


def idf_update(model: IdfModel, token_lists: Iterable[list[str]]) -> IdfModel:
    """A new model for the corpus grown by `token_lists`; equal to refitting on the union."""
    df = Counter(model.df)
    documents = model.documents + _count(df, token_lists)
    return _model(df, documents, model.min_df)


def is_candidate(token: str) -> bool:
    """Whether a token may be a keyword at all."""
    # Single characters are too ambiguous to describe an article; numbers (years, counts,
    # "3.5%") carry no topic on their own.
    return len(token) > 1 and any(char.isalpha() for char in token)


def keywords(tokens: list[str], model: IdfModel, *, top: int = 8) -> list[tuple[str, float]]:
    """The `top` terms by TF-IDF with sublinear term frequency (1 + ln tf), weights
    L2-normalised over all candidate terms; generic words (`IdfModel.is_generic`) are
    never candidates.

    Sublinear: a body that says 数量 six times is not six times about 数量, and raw counts
    let such words push the subject out of a long article's keywords. Ties are broken by
    the term itself, so the same text always gives the same list.
    """
    counts = Counter(tokens)
    for token in [t for t in counts if not is_candidate(t) or model.is_generic(t)]:
        del counts[token]
    if not counts or top <= 0:
        return []
    idf, default = model.idf, model.default_idf
    weights = {
        term: (1.0 + math.log(count)) * idf.get(term, default) for term, count in counts.items()
    }
    norm = math.sqrt(sum(w * w for w in weights.values()))
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [(term, weight / norm) for term, weight in ranked]
