"""Small request helpers shared by the views: answering forms and scripts, where to go next,
and ids read from the URL, the query string or a form."""

from collections.abc import Iterable

from django.http import Http404, HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

# The largest value of a 64-bit primary key (PostgreSQL bigint, SQLite INTEGER). A larger
# number compared with a key column overflows SQLite's driver and PostgreSQL's type.
MAX_ID = 2**63 - 1


def wants_json(request: HttpRequest) -> bool:
    """Whether the page's script asked for JSON; plain form posts get a redirect instead."""
    return "application/json" in request.headers.get("Accept", "")


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` parameter when it is a path on this site, else `fallback`.

    Only a path qualifies ("/..."), never another host, a scheme of its own
    ("javascript:", "https:evil.example") or a bare word that `redirect()` would try to
    reverse as a view name."""
    target = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def parse_id(value: object) -> int | None:
    """`value` as a row id, a decimal number from 1 to MAX_ID, else None.

    Ids read from the request go through this before they reach a query: "abc" would make
    the ORM raise, and a 20-digit number overflows the database's integer."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    text = value.strip() if isinstance(value, str) else ""
    # isdigit() alone accepts other scripts' digits ("１", "٣"); int() would take them too.
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values: Iterable[object]) -> list[int]:
    """The values of `values` that are row ids (see `parse_id`), in order, without repeats."""
    ids: dict[int, None] = {}
    for value in values:
        number = parse_id(value)
        if number is not None:
            ids[number] = None
    return list(ids)


def id_or_404(value: object) -> int:
    """`value` as a row id; anything that cannot name a row answers 404, as a missing one does."""
    number = parse_id(value)
    if number is None:
        raise Http404
    return number
