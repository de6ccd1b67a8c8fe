"""Login throttling: guessing slows down, nobody can lock a victim out (issue 16)."""

import time

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.urls import reverse

from yaowen.accounts import throttle
from yaowen.core.tests.factories import UserFactory
from yaowen.core.tests.test_shared_cache import python_in_another_process

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"  # UserFactory's
WRONG = "请输入一个正确的"  # Django's message for a wrong name or password
ATTACKER = "203.0.113.66"
VICTIM_HOME = "198.51.100.7"
VICTIM_TRAVELLING = "192.0.2.44"
NEIGHBOUR = ATTACKER  # behind the same NAT as the attacker


@pytest.fixture(autouse=True)
def _rules(settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 20
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 50
    settings.LOGIN_MAX_WAIT_SECONDS = 300


def log_in(username: str, password: str, address: str):
    """Post the sign-in form from `address` with a fresh client (no shared cookies)."""
    return Client(REMOTE_ADDR=address).post(
        reverse("accounts:login"), {"username": username, "password": password}
    )


def logged_in(response) -> bool:
    return response.status_code == 302


def waits(response) -> bool:
    return "登录尝试过于频繁" in response.content.decode()


def test_five_failures_are_free_then_the_pair_waits_longer_each_time():
    UserFactory(username="victim")
    for _ in range(4):
        response = log_in("victim", "wrong", ATTACKER)
        assert not logged_in(response) and not waits(response)
    # The fifth failure says the password was wrong and that the next try must wait.
    response = log_in("victim", "wrong", ATTACKER)
    page = response.content.decode()
    assert "请 1 秒后再试" in page and WRONG in page
    # During the wait even the right password is not checked, and the message says so.
    response = log_in("victim", PASSWORD, ATTACKER)
    assert not logged_in(response)
    assert "请 1 秒后再试" in response.content.decode()
    assert "锁定" not in response.content.decode()
    time.sleep(1.1)
    assert "请 2 秒后再试" in log_in("victim", "wrong", ATTACKER).content.decode()
    time.sleep(2.1)
    assert "请 4 秒后再试" in log_in("victim", "wrong", ATTACKER).content.decode()


def test_the_victim_logs_in_from_elsewhere_while_the_attacker_waits():
    UserFactory(username="victim")
    for _ in range(12):
        log_in("victim", "wrong", ATTACKER)
    assert waits(log_in("victim", PASSWORD, ATTACKER))
    assert logged_in(log_in("victim", PASSWORD, VICTIM_HOME))


def test_people_behind_the_attackers_address_log_in_to_their_own_accounts():
    UserFactory(username="victim")
    UserFactory(username="neighbour")
    for _ in range(12):
        log_in("victim", "wrong", ATTACKER)
    assert logged_in(log_in("neighbour", PASSWORD, NEIGHBOUR))
    # And a neighbour's own typo is free, not added to the attacker's wait.
    assert not waits(log_in("neighbour", "typo", NEIGHBOUR))


@pytest.mark.parametrize("variant", ["ｖｉｃｔｉｍ", " victim ", "ｖictim"])
def test_full_width_variants_count_as_the_name_django_logs_in(variant):
    UserFactory(username="victim")
    # Django signs in with the full-width spelling (NFKC): the throttle must key it the same.
    assert logged_in(log_in(variant, PASSWORD, VICTIM_HOME))
    for attempt in range(5):
        spelling = variant if attempt % 2 else "victim"
        log_in(spelling, "wrong", ATTACKER)
    assert waits(log_in(variant, PASSWORD, ATTACKER))
    assert waits(log_in("victim", PASSWORD, ATTACKER))


def test_names_keep_their_case_as_the_user_model_does():
    UserFactory(username="Alice")
    UserFactory(username="alice")
    for _ in range(6):
        log_in("alice", "wrong", ATTACKER)
    assert logged_in(log_in("Alice", PASSWORD, ATTACKER))


def test_an_account_guessed_from_many_addresses_slows_each_new_address_not_the_owner():
    UserFactory(username="victim")
    assert logged_in(log_in("victim", PASSWORD, VICTIM_HOME))  # a known address
    for bot in range(30):
        log_in("victim", "wrong", f"10.1.{bot}.1")
    # Past the account's limit, a new address waits after its first failure.
    response = log_in("victim", "wrong", "10.2.0.1")
    assert WRONG in response.content.decode()
    assert waits(log_in("victim", "wrong", "10.2.0.1"))
    # The owner's first try from a new place is checked and gets in; home too.
    assert logged_in(log_in("victim", PASSWORD, VICTIM_TRAVELLING))
    assert not waits(log_in("victim", "typo", VICTIM_HOME))
    assert logged_in(log_in("victim", PASSWORD, VICTIM_HOME))


def test_one_address_spraying_many_accounts_is_held_off_new_ones(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 10
    UserFactory(username="regular")
    UserFactory(username="newcomer")
    assert logged_in(log_in("regular", PASSWORD, ATTACKER))  # signs in here every day
    for n in range(10):
        log_in(f"user{n}", "123456", ATTACKER)
    assert waits(log_in("user99", "123456", ATTACKER))
    assert waits(log_in("newcomer", PASSWORD, ATTACKER))
    # An account that signs in from this address is not held up by the spraying.
    assert logged_in(log_in("regular", PASSWORD, ATTACKER))
    # Nor is anyone elsewhere.
    assert logged_in(log_in("newcomer", PASSWORD, VICTIM_HOME))


def test_a_right_password_restarts_the_pair_but_not_the_address_count(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    UserFactory(username="attacker")
    for n in range(3):
        log_in(f"target{n}", "guess", ATTACKER)
    assert logged_in(log_in("attacker", PASSWORD, ATTACKER))
    for n in range(3, 6):
        log_in(f"target{n}", "guess", ATTACKER)
    assert waits(log_in("target9", "guess", ATTACKER))


def test_ipv6_addresses_count_by_their_64_block():
    UserFactory(username="victim")
    for n in range(5):
        log_in("victim", "wrong", f"2001:db8:1:2::{n + 1:x}")
    assert waits(log_in("victim", PASSWORD, "2001:db8:1:2:ffff::9"))
    assert logged_in(log_in("victim", PASSWORD, "2001:db8:1:3::1"))


def test_the_throttle_sits_in_authentication_so_every_login_view_uses_it():
    UserFactory(username="victim")
    request = RequestFactory().post("/anywhere/", REMOTE_ADDR=ATTACKER)
    for _ in range(5):
        assert authenticate(request, username="victim", password="wrong") is None
    assert authenticate(request, username="victim", password=PASSWORD) is None
    assert throttle.refused_wait(request) == throttle.Wait(1)


def test_failures_counted_in_another_process_count_here():
    UserFactory(username="victim")
    python_in_another_process(
        "from django.test import RequestFactory\n"
        "from yaowen.accounts import throttle\n"
        f"request = RequestFactory().post('/', REMOTE_ADDR='{ATTACKER}')\n"
        "for _ in range(9):\n"
        "    throttle.login_failed(request, 'victim')\n"
    )
    # The ninth failure there started a 16-second wait here.
    assert waits(log_in("victim", PASSWORD, ATTACKER))
