"""The API's rate limit: requests per client address in a sliding window, counted in
Django's cache. The rate is read from `LANTERN_API_RATE` on every request
("60/m", "1000/h", "5/s"; empty to switch it off), so a change to the setting
applies at once (tests rely on it). Touches the cache."""

from __future__ import annotations

import math
import threading
import time

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle

DEFAULT_RATE = "60/m"


def configured_rate() -> str:
    return str(getattr(settings, "LANTERN_API_RATE", DEFAULT_RATE) or "")


class AddressRateThrottle(AnonRateThrottle):
    """Ninja's anonymous per-address throttle with the rate from settings, and a
    wait that is always the time until the oldest counted request leaves the
    window (so every 429 carries `Retry-After`)."""

    scope = "lantern-api"

    def __init__(self) -> None:
        # The instance is shared by every request of every thread: per-request
        # state lives in a thread-local.
        self._local = threading.local()
        super().__init__(rate=DEFAULT_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        rate = configured_rate()
        if not rate:
            return True
        number, duration = self.parse_rate(rate)
        assert number is not None and duration is not None
        key = self.get_cache_key(request)
        if key is None:
            return True
        now = time.time()
        history: list[float] = [
            t for t in self.cache.get(key, []) if t > now - duration
        ]
        if len(history) >= number:
            oldest = min(history)
            self._local.wait = max(1.0, oldest + duration - now)
            return False
        history.insert(0, now)
        self.cache.set(key, history, duration)
        return True

    def wait(self) -> float | None:
        return float(math.ceil(getattr(self._local, "wait", 1.0)))
