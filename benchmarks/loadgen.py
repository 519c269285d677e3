"""The load generator of `benchmarks/load_bench.py`, and the static-file WSGI app it
measures against.

    uv run python benchmarks/loadgen.py --base http://127.0.0.1:8000 --plan plan.json
        --out samples.json [--seconds 60] [--warmup 5] [--concurrency 16] [--seed 1]

Runs CONCURRENCY simulated readers in one asyncio loop (httpx), each asking for one
page after another, with no pause, until the window closes. Each request's kind is
drawn by the plan's weights and its path uniformly from that kind's paths. Requests
started during the first WARMUP seconds are not recorded; the others (those started
within the SECONDS-long window after it) are written to OUT as
`[kind, started s into the window, latency s, status, error, path]` with the window's
wall-clock start and end, for load_bench.py to summarise. Status 0 means no answer
(the error says why). Nothing here is part of the test run.

`static_app` is a WSGI app serving the folder named by LOAD_BENCH_STATIC_ROOT with
WhiteNoise (`/countries/pe/` → `countries/pe/index.html`), for gunicorn:
`gunicorn --pythonpath benchmarks loadgen:static_app`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

Sample = tuple[str, float, float, int, str, str]


async def drive(
    base: str,
    plan: dict[str, Any],
    *,
    seconds: float,
    warmup: float,
    concurrency: int,
    seed: int,
    timeout: float,
) -> dict[str, Any]:
    """Load `base` with `concurrency` readers; return the window's samples."""
    import httpx

    weights: dict[str, float] = plan["weights"]
    paths: dict[str, list[str]] = plan["paths"]
    kinds = [k for k, w in weights.items() if w > 0 and paths.get(k)]
    cumulative: list[float] = []
    total = 0.0
    for kind in kinds:
        total += weights[kind]
        cumulative.append(total)
    samples: list[Sample] = []
    limits = httpx.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency
    )
    async with httpx.AsyncClient(
        base_url=base, timeout=timeout, limits=limits, follow_redirects=False
    ) as client:
        began = time.perf_counter()
        opens = began + warmup
        closes = opens + seconds
        wall_opens = time.time() + warmup

        async def reader(n: int) -> None:
            rng = random.Random(seed * 10_007 + n)
            while (started := time.perf_counter()) < closes:
                kind = rng.choices(kinds, cum_weights=cumulative)[0]
                path = rng.choice(paths[kind])
                status, error = 0, ""
                try:
                    response = await client.get(path)
                    status = response.status_code
                except httpx.HTTPError as exc:
                    error = type(exc).__name__
                ended = time.perf_counter()
                if started >= opens:
                    shown = path if error or not 200 <= status < 300 else ""
                    samples.append(
                        (kind, started - opens, ended - started, status, error, shown)
                    )

        await asyncio.gather(*(reader(n) for n in range(concurrency)))
        last = time.perf_counter()
    return {
        "window": [wall_opens, wall_opens + seconds],
        "seconds": seconds,
        "drain": max(0.0, last - closes),  # the last answers came this long after
        "samples": samples,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="e.g. http://127.0.0.1:8000")
    parser.add_argument("--plan", type=Path, required=True, help="JSON: weights, paths")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    plan = json.loads(args.plan.read_text())
    result = asyncio.run(
        drive(
            args.base,
            plan,
            seconds=args.seconds,
            warmup=args.warmup,
            concurrency=args.concurrency,
            seed=args.seed,
            timeout=args.timeout,
        )
    )
    args.out.write_text(json.dumps(result))


# ------------------------------------------------------------------ static files

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_served: WSGIApp | None = None


def _not_found(
    environ: dict[str, Any], start_response: Callable[..., Any]
) -> Iterable[bytes]:
    start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
    return [b"not found\n"]


def static_app(
    environ: dict[str, Any], start_response: Callable[..., Any]
) -> Iterable[bytes]:
    """Files under LOAD_BENCH_STATIC_ROOT, a folder's index.html for its address;
    the folder is scanned once per worker process, on its first request."""
    global _served
    if _served is None:
        from whitenoise import WhiteNoise

        _served = WhiteNoise(
            _not_found, root=os.environ["LOAD_BENCH_STATIC_ROOT"], index_file=True
        )
    return _served(environ, start_response)


if __name__ == "__main__":
    main()
