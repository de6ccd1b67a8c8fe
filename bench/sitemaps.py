"""Our article sitemaps beside django.contrib.sitemaps on the same corpus, in one process.

    .venv/bin/python bench/sitemaps.py --articles 100000 [--rounds 5]
    SQLITE_PATH=/path/to/site.sqlite3 .venv/bin/python bench/sitemaps.py

Reads the demo corpus of --articles articles (bench/var/bench-<N>.sqlite3, built by the
other page benchmarks: see bench/_corpus.py) unless SQLITE_PATH names another database.
Both sides list the published articles 50,000 to a file with each one's last change:

- ours (`web.discovery`): the index groups published ids into pages by id range (one
  aggregate, cached for 15 minutes; timed here with the cache cleared) and a page reads
  one id range through the primary key;
- Django's: a `GenericSitemap` over the same queryset, ordered by id, through
  `django.contrib.sitemaps.views.index` and `.sitemap`; the index counts the rows and a
  page slices them with OFFSET.

Each view is called through Django's test `Client` (the whole request: middleware, view,
template), DEBUG off; prints the median and the slowest of --rounds calls of the index
and of the first and the last page, the queries each ran, and the ratio.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import ROOT, corpus_env  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000, help="corpus size")
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    os.environ.update(corpus_env(options.articles))
    if not Path(os.environ["SQLITE_PATH"]).exists():
        sys.exit(f"{os.environ['SQLITE_PATH']} does not exist: build the corpus first.")
    sys.path.insert(0, str(ROOT))
    os.environ["ALLOWED_HOSTS"] = "testserver"

    import django
    from django.conf import settings

    # Django's sitemap templates, for its side only.
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django.contrib.sitemaps"]
    django.setup()
    from django.contrib.sitemaps import GenericSitemap
    from django.contrib.sitemaps import views as django_views
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import path

    import config.urls
    from yaowen.newsroom.selectors import article_published_qs
    from yaowen.web.discovery import selectors

    published = article_published_qs().count()
    pages = -(-published // selectors.ARTICLES_PER_SITEMAP)
    print(f"{published:,} published articles, {pages} sitemap pages of 50,000; SQLite")

    django_sitemaps = {
        "articles": GenericSitemap(
            {
                "queryset": article_published_qs().order_by("pk").only("pk", "updated_at"),
                "date_field": "updated_at",
            }
        )
    }
    factory = RequestFactory()

    def django_index():
        return django_views.index(factory.get("/"), django_sitemaps, sitemap_url_name="x")

    def django_page(number: int):
        response = django_views.sitemap(
            factory.get("/", {"p": number}), django_sitemaps, section="articles"
        )
        response.render()
        return response

    client = Client()
    ours_pages = [number for number, _lastmod in selectors.sitemap_article_pages()]

    def ours_index():
        cache.delete(f"{selectors.SITEMAP_PAGES_KEY}:{selectors.ARTICLES_PER_SITEMAP}")
        return client.get("/sitemap.xml")

    cases = {
        "index": (ours_index, django_index),
        "first page": (
            lambda: client.get(f"/sitemaps/articles-{ours_pages[0]}.xml"),
            lambda: django_page(1),
        ),
        "last page": (
            lambda: client.get(f"/sitemaps/articles-{ours_pages[-1]}.xml"),
            lambda: django_page(pages),
        ),
    }
    # GenericSitemap's index reverses a URL name for its pages.
    config.urls.urlpatterns.append(
        path("django-sitemap-<section>.xml", django_views.sitemap, name="x")
    )
    header = ("ours median", "max", "q", "django median", "max", "q")
    print(f"{'':12} {header[0]:>12} {header[1]:>9} {header[2]:>3}   ", end="")
    print(f"{header[3]:>13} {header[4]:>9} {header[5]:>3}")
    for label, (ours, theirs) in cases.items():
        row = []
        for call in (ours, theirs):
            times = []
            for _round in range(options.rounds):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = call()
                    times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (label, response.status_code)
            row.append((statistics.median(times), max(times), len(queries)))
        (a, a_max, a_q), (b, b_max, b_q) = row
        print(
            f"{label:12} {a:9.1f} ms {a_max:6.1f} ms {a_q:3}   {b:10.1f} ms {b_max:6.1f} ms {b_q:3}"
            f"   django/ours {b / a:.1f}x"
        )


if __name__ == "__main__":
    main()
