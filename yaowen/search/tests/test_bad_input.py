"""Search with filters no reader could have chosen: a clear 400 with the reason, never a 500."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"


@pytest.mark.parametrize("author", [HUGE, "abc", "0", "-5"])
def test_an_author_that_cannot_exist_is_a_form_error(client, publish, author):
    publish(title="长江流域迎来今冬首场寒潮")
    response = client.get(reverse("search:results"), {"q": "寒潮", "author": author})
    assert response.status_code == 400
    assert "没有这位作者。" in response.content.decode()


def test_an_overlong_query_is_a_form_error(client):
    response = client.get(reverse("search:results"), {"q": "寒" * 61})
    assert response.status_code == 400
    assert "搜索词最多 60 个字。" in response.content.decode()
