"""With LANTERN_CACHE_URL (Redis), the rate limit counts a client once across web
servers: requests answered by this process use up the budget another process sees.
Uses the Redis server on 127.0.0.1:6379."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest

REDIS = "redis://127.0.0.1:6379/15"

OTHER_SERVER = """
import django
django.setup()
from django.test import Client
answer = Client(HTTP_HOST="localhost").get("/api/topics", REMOTE_ADDR="198.51.100.7")
print(answer.status_code)
"""


@pytest.fixture
def redis_cache(settings):  # type: ignore[no-untyped-def]
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": prefix,
        }
    }
    yield prefix
    from django.core.cache import cache

    cache.clear()


def other_server(prefix: str) -> int:
    """One request from a separate process configured the same way."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lantern.settings",
        "LANTERN_CACHE_URL": REDIS,
        "LANTERN_API_RATE": "3/m",
    }
    code = OTHER_SERVER.replace(
        "django.setup()",
        "from django.conf import settings\n"
        f"django.setup()\nsettings.CACHES['default']['KEY_PREFIX'] = {prefix!r}",
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip().splitlines()[-1])


def test_the_settings_select_redis_from_the_environment() -> None:
    env = {**os.environ, "LANTERN_CACHE_URL": REDIS}
    done = subprocess.run(
        [sys.executable, "-c",
         "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='lantern.settings';"
         "django.setup(); from django.conf import settings;"
         "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'])"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.stdout.split() == ["django.core.cache.backends.redis.RedisCache", REDIS]


@pytest.mark.django_db
def test_rate_limit_is_shared_by_every_process(client, settings, redis_cache) -> None:  # type: ignore[no-untyped-def]
    settings.LANTERN_API_RATE = "3/m"
    for _ in range(3):
        answer = client.get("/api/topics", REMOTE_ADDR="198.51.100.7")
        assert answer.status_code == 200
    assert other_server(redis_cache) == 429
    # Another client still has its own budget, here and there.
    assert client.get("/api/topics", REMOTE_ADDR="198.51.100.8").status_code == 200
