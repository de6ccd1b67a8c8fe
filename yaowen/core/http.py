"""Small request helpers shared by the views that answer both forms and scripts."""

from django.http import HttpRequest


def wants_json(request: HttpRequest) -> bool:
    """Whether the page's script asked for JSON; plain form posts get a redirect instead."""
    return "application/json" in request.headers.get("Accept", "")
