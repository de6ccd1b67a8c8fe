"""Filter tokens indexed beside an article's words (SQLite): channel, author, month.

With them a filtered search is an intersection of posting lists inside FTS5 instead of a
walk through every match of a common word checking each one's channel. Months are UTC.
"""

import datetime as dt


def facet_tokens(*, channel_id: int, author_id: int, published_at: dt.datetime | None) -> str:
    tokens = [f"c{channel_id}", f"a{author_id}"]
    if published_at is not None:
        tokens.append(_month(published_at))
    return " ".join(tokens)


def _month(moment: dt.datetime) -> str:
    moment = moment.astimezone(dt.UTC) if moment.tzinfo else moment
    return f"m{moment.year:04d}{moment.month:02d}"


def month_tokens(since: dt.datetime, until: dt.datetime) -> list[str]:
    """The month tokens from `since`'s month to `until`'s, oldest first."""
    since = since.astimezone(dt.UTC) if since.tzinfo else since
    until = until.astimezone(dt.UTC) if until.tzinfo else until
    year, month = since.year, since.month
    tokens = []
    while (year, month) <= (until.year, until.month):
        tokens.append(f"m{year:04d}{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tokens
