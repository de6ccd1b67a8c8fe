"""The authentication backend a session names once its sign-in passed a second factor.

Django records in the session which backend signed it in. A password alone is
`ModelBackend`; after a second factor the site logs the person in again with this backend,
so "signed in with a second factor" is a fact of the session that any later request (and
the middleware) can read. It authenticates nobody by itself and grants no permissions.
Listed first in AUTHENTICATION_BACKENDS: the test client's `force_login()` takes the first
backend, so tests sign staff in as fully as a real second step does.
"""

from django.contrib.auth.backends import BaseBackend, ModelBackend

SECOND_FACTOR_BACKEND = "yaowen.accounts.security.backends.SecondFactorBackend"


class SecondFactorBackend(BaseBackend):
    def get_user(self, user_id):
        return ModelBackend().get_user(user_id)
