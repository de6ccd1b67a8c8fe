from yaowen.analysis.tests.conftest import publish  # noqa: F401  (the fixture)
