"""Related articles (相关推荐): bounded sparse vectors, capped posting reads, topic votes.

The whole computation is shaped by an inverted index at 1,000,000 articles: every article
stores at most VECTOR_TERMS weighted features; a query reads at most POSTING_CAP postings
(highest weight first) per feature it asks about. One article's related list is:

1. stage 1: its own stored vector scored against capped postings (`scores_from_postings`);
2. the top RERANK_DEPTH candidates re-ranked by a topic vote (`topic_rerank`, boost
   NEIGHBOUR_TOPIC_BOOST), the top EXPANSION_NEIGHBOURS of them feed `expansion_query`;
3. stage 3: the expanded query scored against capped postings again;
4. the top RERANK_DEPTH re-ranked by the topic vote (boost FINAL_TOPIC_BOOST); the best k.

Topics are ids from TOPIC_MODELS spherical k-means models (`topic_fit`, refit nightly),
assigned to each article from its stored vector at publish (`topic_ids`). Measured on
real headlines and real full articles by bench/related_quality.py and `manage.py recommend
evaluate-related`; the constants are the measured policy.
"""

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

Vector = list[tuple[str, float]]

VECTOR_TERMS = 48
POSTING_CAP = 200
# Character n-grams of the joined title tokens: they match across segmentation choices
# (国足/国 足) and inside names; the prefix keeps them apart from one-character words.
GRAM_PREFIX = "#"
GRAM_SIZES = (2, 3)
# Relative weight of the n-gram block against the word block, each L2-normalised first,
# for a headline-only article; an article with a body scales both title blocks by the
# title's share of its words (`title_share`). Raised together with the raw-gram block and
# the grams' IDF power (1.5, 1.0, 0.25 -> 2.0, 1.25, 0.45) on headlines: train 0.759 ->
# 0.782, test 0.756 -> 0.780; either weight raised alone did not help.
GRAM_BLOCK_WEIGHT = 2.0
# Character n-grams of the raw normalised title, punctuation and stopwords included: how a
# headline is written (：, 我们, 谁, 3比1) says what kind of story it is. Their own prefix and
# block, beside the grams of the filtered tokens, which match the story itself. Bigrams
# only: raw trigrams mostly repeat the filtered grams (train: 0.7592 bigrams, 0.7540 both).
RAW_GRAM_PREFIX = "%"
RAW_GRAM_SIZES = (2,)
RAW_GRAM_BLOCK_WEIGHT = 1.25
# A title says what the article is about in a few words; a body repeats itself at length.
# Measured on full articles (cnews, 969): 1, 2, 3 repeats give 0.942, 0.946, 0.945.
TITLE_WORD_REPEAT = 2
# IDF raised to these powers. Full IDF favours names seen once or twice, which find the same
# story; a flatter IDF lets the words that say what kind of story it is count too, and a
# word in every other article still weighs half of a rare name. Words: 0.45 let a body's
# generic words (明显, 新增) outweigh its subject; on full articles 0.6 / 0.7 / 0.85 / 1.0
# gave 0.942 / 0.946 / 0.943 / 0.940, on headlines 0.735 / 0.737 / 0.735 / 0.735. The title
# grams keep the power tuned on headlines.
WORD_IDF_POWER = 0.7
IDF_POWER = 0.45
# A word no other article has (yet) can find nothing now, but a later article on the same
# story may share it: it stays in the vector at this fraction of its weight instead of
# taking the places of words that match today. Dropping such words outright: full articles
# 0.946, headlines 0.737; keeping them whole: 0.940, 0.716; at 0.3: 0.945, 0.740.
HAPAX_WEIGHT = 0.3
EXPANSION_NEIGHBOURS = 10
EXPANSION_WEIGHT = 4.0
# Neighbour vectors weigh by their score squared, so a near-duplicate outweighs a stray hit.
EXPANSION_SCORE_POWER = 2.0
EXPANSION_TERMS = 64
RERANK_DEPTH = 100
TOPIC_VOTERS = 20
NEIGHBOUR_TOPIC_BOOST = 2.0
FINAL_TOPIC_BOOST = 4.0
# Differently seeded clusterings voting together: which split of the pool k-means finds
# moves precision by a point either way, and more votes steady it. 39,990 real headlines,
# topics fitted on a random 20,000 of them as the nightly refit fits the newest: 5 models
# 0.796 and 0.804 (2 draws), 10 models 0.802-0.811 (5 draws); full articles 0.945 -> 0.946.
TOPIC_MODELS = 10
TOPIC_CLUSTERS = 10
# Centroid features kept per topic: enough to place any article, small enough to store.
CENTROID_TERMS = 2000


def title_grams(title_terms: Sequence[str]) -> list[str]:
    """Character n-grams of the joined title tokens, prefixed so they never equal a word."""
    text = "".join(title_terms)
    return [GRAM_PREFIX + text[i : i + n] for n in GRAM_SIZES for i in range(len(text) - n + 1)]


def raw_title_grams(title: str) -> list[str]:
    """Character n-grams of the normalised title as written, whitespace runs made one space."""
    text = " ".join(title.split())
    return [
        RAW_GRAM_PREFIX + text[i : i + n] for n in RAW_GRAM_SIZES for i in range(len(text) - n + 1)
    ]


def _is_word(term: str) -> bool:
    return not term.startswith((GRAM_PREFIX, RAW_GRAM_PREFIX))


def related_features(
    title_terms: list[str], body_terms: list[str], *, title: str = ""
) -> list[str]:
    """Every distinct feature of an article: what the document-frequency table counts.

    `title` is the normalised title as written (`normalize(article.title)`); empty, the
    article has no raw-title grams.
    """
    words = [term for term in title_terms + body_terms if _is_word(term)]
    return list(dict.fromkeys(words + title_grams(title_terms) + raw_title_grams(title)))


def _idf(df: int, documents: int, power: float = IDF_POWER) -> float:
    # Smoothed like scikit-learn's: positive, defined for an empty corpus and unseen terms.
    return (math.log((1 + documents) / (1 + max(df, 1))) + 1.0) ** power


def _unit_block(
    counts: Counter,
    df: Mapping[str, int],
    documents: int,
    *,
    power: float = IDF_POWER,
    hapax: float = 1.0,
) -> dict[str, float]:
    """(1 + ln tf) · idf^power per term, L2-normalised; terms seen in at most one
    document (this one) weigh `hapax` times as much."""
    block = {}
    for term, count in counts.items():
        seen = df.get(term, 1)
        weight = (1.0 + math.log(count)) * _idf(seen, documents, power)
        block[term] = weight * hapax if seen <= 1 else weight
    norm = math.sqrt(sum(weight * weight for weight in block.values())) or 1.0
    return {term: weight / norm for term, weight in block.items()}


def title_share(title_terms: Sequence[str], body_terms: Sequence[str]) -> float:
    """The title's share of the article's words, 1 for a headline-only article (whose body
    is its title): how much the title blocks weigh against the word block."""
    title, body = len(title_terms), len(body_terms)
    return min(1.0, title / body) if body else 1.0


def _strongest(weights: Mapping[str, float], limit: int) -> Vector:
    """The `limit` heaviest positive features, L2-normalised, strongest first (ties by name)."""
    top = heapq.nsmallest(
        limit, ((-w, term) for term, w in weights.items() if w > 0), key=lambda item: item
    )
    norm = math.sqrt(sum(w * w for w, _ in top)) or 1.0
    return [(term, -w / norm) for w, term in top]


def related_vector(
    title_terms: list[str],
    body_terms: list[str],
    df: Mapping[str, int],
    documents: int,
    *,
    title: str = "",
) -> Vector:
    """The stored vector: at most VECTOR_TERMS (feature, weight), strongest first, L2 = 1.

    Title and body words in one block, title words counted TITLE_WORD_REPEAT more times;
    the title's character grams beside it, weighted by the title's share of the words, so
    they carry a headline and step aside for a long body. Features missing from `df` count
    as seen once (a new article's own rare words). `title` as for `related_features`;
    empty, the vector is built from the tokens alone.
    """
    words = Counter(term for term in body_terms if _is_word(term))
    for term in title_terms:
        if _is_word(term):
            words[term] += TITLE_WORD_REPEAT
    weights = _unit_block(words, df, documents, power=WORD_IDF_POWER, hapax=HAPAX_WEIGHT)
    share = title_share(title_terms, body_terms)
    if share:
        grams = _unit_block(Counter(title_grams(title_terms)), df, documents)
        for gram, weight in grams.items():
            weights[gram] = share * GRAM_BLOCK_WEIGHT * weight
        raw = _unit_block(Counter(raw_title_grams(title)), df, documents)
        for gram, weight in raw.items():
            weights[gram] = share * RAW_GRAM_BLOCK_WEIGHT * weight
    return _strongest(weights, VECTOR_TERMS)


def expansion_query(
    vector: Sequence[tuple[str, float]],
    neighbours: Sequence[tuple[float, Sequence[tuple[str, float]]]],
) -> Vector:
    """The vector plus EXPANSION_WEIGHT x the score²-weighted mean of its neighbours' vectors.

    Bounded to EXPANSION_TERMS features, so stage 3 reads a bounded number of postings;
    without positive-scored neighbours the vector comes back unchanged.
    """
    weighted = [
        (score**EXPANSION_SCORE_POWER, vec)
        for score, vec in neighbours[:EXPANSION_NEIGHBOURS]
        if score > 0
    ]
    total = sum(weight for weight, _ in weighted)
    if not total:
        return list(vector)
    query: dict[str, float] = defaultdict(float)
    for term, weight in vector:
        query[term] += weight
    for weight, vec in weighted:
        share = EXPANSION_WEIGHT * weight / total
        for term, value in vec:
            query[term] += share * value
    return _strongest(query, EXPANSION_TERMS)


def scores_from_postings(
    query: Sequence[tuple[str, float]], postings: Iterable[tuple[str, int, float]]
) -> dict[int, float]:
    """Dot products of the query with every article seen in the (feature, id, weight) rows."""
    wanted = dict(query)
    scores: dict[int, float] = defaultdict(float)
    for feature, article_id, weight in postings:
        query_weight = wanted.get(feature)
        if query_weight:
            scores[article_id] += query_weight * weight
    return dict(scores)


def topic_rerank(
    scores: Mapping[int, float],
    topics: Mapping[int, Sequence[int]],
    *,
    boost: float,
    own: tuple[float, Sequence[int]] = (0.0, ()),
    depth: int = RERANK_DEPTH,
    voters: int = TOPIC_VOTERS,
) -> list[tuple[int, float]]:
    """The `depth` best candidates, each score x (1 + boost x its topics' vote share).

    The best `voters` candidates, and the article itself (`own`: its score against its own
    postings, its topic ids), vote by score for their topic in each model: a candidate
    whose topics the neighbourhood shares rises, a lone keyword match sinks.
    """
    ranked = heapq.nlargest(depth, scores.items(), key=lambda item: (item[1], -item[0]))
    ranked = [(article_id, score) for article_id, score in ranked if score > 0]
    votes: dict[tuple[int, int], float] = defaultdict(float)
    total = 0.0
    models = 0
    for score, ids in [own] + [(score, topics.get(i, ())) for i, score in ranked[:voters]]:
        if score <= 0:
            continue
        models = max(models, len(ids))
        total += score
        for model, topic in enumerate(ids):
            votes[model, topic] += score
    if not total or not models:
        return ranked
    rescored = []
    for article_id, score in ranked:
        ids = topics.get(article_id, ())
        share = sum(votes[model, topic] for model, topic in enumerate(ids)) / (total * models)
        rescored.append((article_id, score * (1.0 + boost * share)))
    rescored.sort(key=lambda item: (-item[1], -item[0]))
    return rescored


def related_articles(
    article_id: int,
    vector: Sequence[tuple[str, float]],
    *,
    postings: Callable[[Sequence[str]], Iterable[tuple[str, int, float]]],
    vectors: Callable[[Sequence[int]], Mapping[int, Sequence[tuple[str, float]]]],
    topics: Callable[[Sequence[int]], Mapping[int, Sequence[int]]],
    k: int = 10,
) -> list[tuple[int, float]]:
    """The k related articles (id, score), best first, never the article itself.

    `postings(features)` returns at most POSTING_CAP rows per feature, highest weight first;
    `vectors(ids)` and `topics(ids)` read stored vectors and topic ids.
    """
    rows = list(postings([term for term, _ in vector]))
    first = scores_from_postings(vector, rows)
    own_score = first.pop(article_id, 0.0)
    stored_topics = topics([article_id, *_best(first)])
    own_topics = stored_topics.get(article_id, ())
    neighbours = topic_rerank(
        first, stored_topics, boost=NEIGHBOUR_TOPIC_BOOST, own=(own_score, own_topics)
    )
    neighbours = neighbours[:EXPANSION_NEIGHBOURS]
    stored = vectors([i for i, _ in neighbours])
    query = expansion_query(vector, [(score, stored.get(i, ())) for i, score in neighbours])
    known = {term for term, _ in vector}
    rows += postings([term for term, _ in query if term not in known])
    final = scores_from_postings(query, rows)
    own = (final.pop(article_id, 0.0), own_topics)
    return topic_rerank(final, topics(_best(final)), boost=FINAL_TOPIC_BOOST, own=own)[:k]


def _best(scores: Mapping[int, float]) -> list[int]:
    return [i for i, _ in heapq.nlargest(RERANK_DEPTH, scores.items(), key=lambda x: x[1])]


def topic_fit(
    vectors: Sequence[Sequence[tuple[str, float]]],
    *,
    clusters: int = TOPIC_CLUSTERS,
    seed: int = 0,
    iterations: int = 20,
    centroid_terms: int = CENTROID_TERMS,
) -> list[dict[str, float]]:
    """Spherical k-means centroids of stored vectors, each bounded to `centroid_terms`.

    Seeded k-means++ start, so a refit on the same vectors gives the same topics.
    """
    import numpy as np
    from scipy import sparse

    vocabulary: dict[str, int] = {}
    rows, cols, values = [], [], []
    for row, vector in enumerate(vectors):
        for term, weight in vector:
            rows.append(row)
            cols.append(vocabulary.setdefault(term, len(vocabulary)))
            values.append(weight)
    n = len(vectors)
    clusters = min(clusters, n)
    if not clusters:
        return []
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(n, len(vocabulary)))
    rng = np.random.default_rng(seed)
    chosen = [int(rng.integers(n))]
    distance = 1.0 - (matrix @ matrix[chosen[0]].T).toarray().ravel()
    for _ in range(clusters - 1):
        odds = np.maximum(distance, 0.0) ** 2
        if not odds.sum():
            break
        chosen.append(int(rng.choice(n, p=odds / odds.sum())))
        distance = np.minimum(distance, 1.0 - (matrix @ matrix[chosen[-1]].T).toarray().ravel())
    centroids = matrix[chosen].toarray()
    for _ in range(iterations):
        assigned = np.asarray(matrix @ centroids.T).argmax(axis=1)
        members = sparse.csr_matrix((np.ones(n), (assigned, np.arange(n))), shape=(len(chosen), n))
        sums = np.asarray((members @ matrix).todense())
        # An emptied cluster keeps its previous centre instead of becoming a zero vector.
        empty = ~sums.any(axis=1)
        sums[empty] = centroids[empty]
        centroids = sums / np.linalg.norm(sums, axis=1, keepdims=True)
    terms = list(vocabulary)
    fitted = []
    for centroid in centroids:
        top = np.argsort(-centroid, kind="stable")[:centroid_terms]
        fitted.append({terms[i]: float(centroid[i]) for i in top if centroid[i] > 0})
    return fitted


def topic_models_fit(
    vectors: Sequence[Sequence[tuple[str, float]]], *, models: int = TOPIC_MODELS
) -> list[list[dict[str, float]]]:
    """TOPIC_MODELS differently seeded clusterings: their votes average out one bad split."""
    return [topic_fit(vectors, seed=seed) for seed in range(models)]


def topic_ids(
    vector: Sequence[tuple[str, float]], models: Sequence[Sequence[Mapping[str, float]]]
) -> list[int]:
    """The article's nearest centroid in each model (0 when it shares no feature with any)."""
    ids = []
    for centroids in models:
        sims = [sum(c.get(term, 0.0) * w for term, w in vector) for c in centroids]
        ids.append(max(range(len(sims)), key=sims.__getitem__) if sims else 0)
    return ids
