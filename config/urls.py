"""Root URLs: the reader site, accounts, and the staff admin.

No i18n_patterns: a page has the same URL in every language; the language comes from the
cookie set by /lang/<code>/ (then Accept-Language).
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from yaowen.web.language import language_switch

urlpatterns = [
    path("", include("yaowen.web.urls")),
    path("lang/<str:code>/", language_switch, name="language"),
    path("accounts/", include("yaowen.accounts.urls")),
    path("e/", include("yaowen.engagement.urls")),
    path("search/", include("yaowen.search.urls")),
    path("studio/", include("yaowen.studio.urls")),
    path("review/words/", include("yaowen.wordfilter.urls")),
    path("review/", include("yaowen.moderation.urls")),
    path("appeals/", include("yaowen.moderation.appeals_urls")),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(rf"^{prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]

handler400 = "yaowen.web.errors.bad_request"
handler403 = "yaowen.web.errors.forbidden"
handler404 = "yaowen.web.errors.not_found"
handler500 = "yaowen.web.errors.server_error"
