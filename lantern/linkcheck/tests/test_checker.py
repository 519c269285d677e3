"""Every outcome, played by a real server on 127.0.0.x, classified right.

127.0.0.1 is an honest site (404 for what it does not have), 127.0.0.2 a site that
answers every unknown address with its home page, 127.0.0.3 a site whose
robots.txt keeps Lantern out of /private/.
"""

from __future__ import annotations

import asyncio
import email.utils
import itertools
import threading
import time
import tracemalloc

import pytest

from lantern.core.fakeweb import (
    FakeWeb,
    Request,
    Response,
    gzip_bomb,
    html,
    redirect,
)
from lantern.core.http import NameNotResolved, make_client
from lantern.library.models import Access
from lantern.linkcheck.checker import (
    VERIFIED,
    Outcome,
    SiteProbes,
    check_url,
    made_up_address,
)
from lantern.linkcheck.pages import is_home
from lantern.linkcheck.politeness import RobotsRules
from lantern.linkcheck.tests.helpers import (
    LIMITS,
    OTHER_TEXT,
    QUOTE,
    RETRY,
    article,
    check,
    home_page,
    pdf,
)

HONEST, LENIENT, ROBOTS = "127.0.0.1", "127.0.0.2", "127.0.0.3"

CHALLENGE = html(
    "<p>Checking your browser before accessing the site.</p>"
    '<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1"></script>',
    title="Just a moment...",
    status=403,
)


def once_then(first: Response, then: Response) -> object:
    """A route that answers `first` to the first request and `then` afterwards."""
    count = itertools.count()
    lock = threading.Lock()

    def handler(request: Request) -> Response:
        with lock:
            n = next(count)
        return first if n == 0 else then

    return handler


def browsers_only(request: Request) -> Response:
    """A bot wall that lets browser-like agents through."""
    if "Mozilla" not in request.headers.get("user-agent", ""):
        return CHALLENGE
    return article()


def lenient_default(request: Request) -> Response:
    if request.host.startswith(f"{LENIENT}:"):
        return home_page()
    return html("<h1>Not Found</h1>", title="Not Found", status=404)


@pytest.fixture(scope="module")
def web() -> FakeWeb:
    far_future = email.utils.formatdate(time.time() + 3600, usegmt=True)
    routes: dict[object, object] = {
        "/": home_page(),
        "/article": article(),
        "/old": redirect("/article", 301),
        "/old-308": redirect("/article", 308),
        "/temp": redirect("/article", 302),
        "/mixed": redirect("/temp", 301),
        "/gone": Response(410, b"gone"),
        "/soft": html(
            "<h1>Page not found</h1><p>Sorry, we could not find that page.</p>",
            title="Page not found",
        ),
        "/soft-es": html(
            "<h1>Página no encontrada</h1><p>Lo sentimos.</p>",
            title="Error | Ministerio",
        ),
        "/reports/2009/deep-report.html": redirect("/", 301),
        "/drifted": article(OTHER_TEXT),
        "/guarded": browsers_only,
        "/challenge": Response(
            403, CHALLENGE.body, {**CHALLENGE.headers, "cf-mitigated": "challenge"}
        ),
        "/captcha": html(
            '<form><div class="g-recaptcha" data-sitekey="x"></div></form>',
            title="Are you a robot?",
        ),
        "/login": Response(401, b"login required"),
        "/members/report": redirect("/user/login?next=/members/report", 302),
        "/user/login": html("<form><input name=password></form>", title="Log in"),
        "/forbidden": Response(403, b"forbidden"),
        "/limited": once_then(
            Response(429, b"slow down", {"Retry-After": "1"}), article()
        ),
        "/limited-long": Response(429, b"slow down", {"Retry-After": "3600"}),
        "/flaky": once_then(Response(500, b"oops"), article()),
        "/down": Response(503, b"maintenance"),
        "/down-long": Response(503, b"maintenance", {"Retry-After": far_future}),
        "/slow": Response(200, article().body, article().headers, delay=0.3),
        "/hang": Response(behaviour="hang"),
        "/reset": Response(behaviour="reset"),
        "/huge": Response(
            200, article().body, {"Content-Type": "text/html"}, stream_bytes=20_000_000
        ),
        "/bomb": gzip_bomb(50_000_000),
        "/loop-a": redirect("/loop-b", 302),
        "/loop-b": redirect("/loop-a", 302),
        "/report.pdf": pdf(QUOTE),
        "/other.pdf": pdf(OTHER_TEXT),
        (LENIENT, "/"): home_page(),
        (LENIENT, "/reports/real.html"): article(),
        (LENIENT, "/reports/changed.html"): article(OTHER_TEXT),
        (ROBOTS, "/robots.txt"): Response(
            200,
            b"User-agent: *\nDisallow: /nothing-for-anyone/\n\n"
            b"User-agent: Lantern\nDisallow: /private/\n",
            {"Content-Type": "text/plain"},
        ),
        (ROBOTS, "/private/report.html"): article(),
        (ROBOTS, "/public/report.html"): article(),
    }
    with FakeWeb(
        routes,  # type: ignore[arg-type]
        addresses=(HONEST, LENIENT, ROBOTS),
        default=lenient_default,
    ) as server:
        yield server


def test_outcomes_are_those_of_the_access_model() -> None:
    assert {o.value for o in Outcome} == set(Access.Outcome.values)
    assert VERIFIED == Access.VERIFIED


def test_live_page_with_the_excerpt_is_alive(web: FakeWeb) -> None:
    result = check(web.url("/article"))
    assert result.outcome == "alive"
    assert result.http_status == 200 and result.excerpt_found is True
    assert result.final_url == web.url("/article") and result.redirect_chain == ()
    assert len(result.content_hash) == 64 and result.attempts == 1
    assert result.elapsed > 0 and result.error == ""


def test_same_text_gives_the_same_content_hash(web: FakeWeb) -> None:
    assert (
        check(web.url("/article")).content_hash == check(web.url("/temp")).content_hash
    )
    assert (
        check(web.url("/article")).content_hash
        != check(web.url("/drifted")).content_hash
    )


@pytest.mark.parametrize("path", ["/old", "/old-308"])
def test_permanent_redirect_to_a_live_page_is_moved(web: FakeWeb, path: str) -> None:
    result = check(web.url(path))
    assert result.outcome == "moved"
    assert result.final_url == web.url("/article")
    assert result.chain_json()[0]["url"] == web.url(path)
    assert result.excerpt_found is True


def test_temporary_redirect_to_a_live_page_is_alive(web: FakeWeb) -> None:
    result = check(web.url("/temp"))
    assert result.outcome == "alive"
    assert result.final_url == web.url("/article")
    assert [hop.status for hop in result.redirect_chain] == [302]
    # Not every hop permanent: the cited address still leads there.
    assert check(web.url("/mixed")).outcome == "alive"


@pytest.mark.parametrize(("path", "status"), [("/nothing-here", 404), ("/gone", 410)])
def test_404_and_410_are_dead(web: FakeWeb, path: str, status: int) -> None:
    result = check(web.url(path))
    assert result.outcome == "dead" and result.http_status == status


def test_a_name_that_no_longer_resolves_is_dead() -> None:
    async def no_dns(host: str, port: int) -> list[str]:
        raise NameNotResolved(f"cannot resolve {host}: Name or service not known")

    result = check("http://gone.invalid/report.html", resolver=no_dns)
    assert result.outcome == "dead" and result.attempts == 1
    assert result.error.startswith("dns")


def test_a_temporary_dns_failure_is_retried_and_not_dead() -> None:
    async def flaky_dns(host: str, port: int) -> list[str]:
        raise NameNotResolved(
            f"cannot resolve {host}: Temporary failure in name resolution"
        )

    result = check("http://flaky.invalid/report.html", resolver=flaky_dns)
    assert result.outcome == "network-error" and result.attempts == RETRY.attempts


@pytest.mark.parametrize("path", ["/soft", "/soft-es"])
def test_not_found_page_served_with_200_is_soft_dead(web: FakeWeb, path: str) -> None:
    result = check(web.url(path))
    assert result.outcome == "soft-dead" and result.http_status == 200
    assert "not found" in result.error or "encontrada" in result.error


def test_site_answering_every_address_with_its_home_page_is_soft_dead(
    web: FakeWeb,
) -> None:
    result = check(web.url("/reports/2011/gone.html", LENIENT))
    assert result.outcome == "soft-dead" and result.http_status == 200
    assert "made-up" in result.error
    # The yardstick was a made-up address in the same folder.
    assert any(r.path.startswith("/reports/2011/lantern-") for r in web.hits())


def test_real_pages_on_a_lenient_site_are_not_soft_dead(web: FakeWeb) -> None:
    assert check(web.url("/reports/real.html", LENIENT)).outcome == "alive"
    changed = check(web.url("/reports/changed.html", LENIENT))
    assert changed.outcome == "drifted" and changed.excerpt_found is False
    # With nothing to look for, a distinct page is simply alive.
    assert check(web.url("/reports/changed.html", LENIENT), []).outcome == "alive"
    assert check(web.url("/reports/other.html", LENIENT), []).outcome == "soft-dead"


def test_deep_link_redirected_to_the_home_page_is_soft_dead(web: FakeWeb) -> None:
    result = check(web.url("/reports/2009/deep-report.html"))
    assert result.outcome == "soft-dead"
    assert result.final_url == web.url("/")
    assert "home page" in result.error


def test_made_up_addresses_sit_next_to_the_checked_one() -> None:
    url, key = made_up_address("http://a.org/reports/2011/x.pdf#p2")
    assert url.startswith("http://a.org/reports/2011/lantern-") and url.endswith(".pdf")
    # One probe per host and kind of address serves every folder of the site.
    assert (
        key
        == made_up_address("http://a.org/other/y.pdf")[1]
        != made_up_address("http://a.org/other/y.html")[1]
    )
    url, key = made_up_address("http://a.org/view.php?id=12&lang=en")
    assert url.startswith("http://a.org/view.php?id=lantern-")
    assert "&lang=lantern-" in url
    assert key == made_up_address("http://a.org/list.php?page=3")[1]


def test_home_page_is_recognised() -> None:
    for url in ("http://a.org", "http://a.org/", "http://a.org/index.html",
                "http://a.org/en/", "http://a.org/fr/index.php"):  # fmt: skip
        assert is_home(url), url
    for url in ("http://a.org/reports/", "http://a.org/?p=12", "http://a.org/x.pdf"):
        assert not is_home(url), url


def test_page_without_the_excerpt_is_drifted(web: FakeWeb) -> None:
    result = check(web.url("/drifted"))
    assert result.outcome == "drifted" and result.excerpt_found is False
    assert result.http_status == 200


def test_excerpt_is_found_despite_markup_and_typography(web: FakeWeb) -> None:
    quoted = "“Traffickers recruit young women from rural provinces” with false offers of restaurant work — in the capital"
    assert check(web.url("/article"), [quoted]).outcome == "alive"


def test_bot_wall_lets_our_browser_like_agent_through(web: FakeWeb) -> None:
    assert check(web.url("/guarded")).outcome == "alive"
    blocked = check(web.url("/guarded"), user_agent="python-httpx/0.28")
    assert blocked.outcome == "blocked" and blocked.http_status == 403
    assert "Lantern/" in web.hits("/guarded")[0].headers["user-agent"]


@pytest.mark.parametrize("path", ["/challenge", "/captcha", "/login", "/forbidden"])
def test_challenges_and_refusals_are_blocked_never_dead(
    web: FakeWeb, path: str
) -> None:
    result = check(web.url(path))
    assert result.outcome == "blocked"
    assert result.attempts == 1  # a challenge is not retried


def test_redirect_to_a_sign_in_page_is_blocked(web: FakeWeb) -> None:
    result = check(web.url("/members/report"))
    assert result.outcome == "blocked" and "sign-in" in result.error


def test_429_with_retry_after_is_waited_for(web: FakeWeb) -> None:
    result = check(web.url("/limited"))
    assert result.outcome == "alive" and result.attempts == 2
    assert result.waited >= 1.0
    first, second = web.hits("/limited")[:2]
    assert second.started - first.started >= 1.0


def test_retry_after_longer_than_the_cap_is_not_waited_for(web: FakeWeb) -> None:
    started = time.monotonic()
    limited = check(web.url("/limited-long"))
    assert limited.outcome == "blocked" and limited.attempts == 1
    assert "Retry-After" in limited.error
    down = check(web.url("/down-long"))
    assert down.outcome == "server-error" and down.attempts == 1
    assert time.monotonic() - started < 1.0


def test_server_error_is_retried(web: FakeWeb) -> None:
    flaky = check(web.url("/flaky"))
    assert flaky.outcome == "alive" and flaky.attempts == 2
    down = check(web.url("/down"))
    assert down.outcome == "server-error" and down.http_status == 503
    assert down.attempts == RETRY.attempts == len(web.hits("/down"))


def test_slow_server_within_the_timeout_is_alive(web: FakeWeb) -> None:
    result = check(web.url("/slow"))
    assert result.outcome == "alive" and result.elapsed >= 0.3


def test_never_answering_server_is_a_timeout(web: FakeWeb) -> None:
    result = check(web.url("/hang"))
    assert result.outcome == "timeout" and result.attempts == RETRY.attempts
    assert result.elapsed < LIMITS.total + 0.5


def test_connection_reset_is_a_network_error(web: FakeWeb) -> None:
    result = check(web.url("/reset"))
    assert result.outcome == "network-error" and result.attempts == RETRY.attempts


def test_nobody_listening_is_a_network_error() -> None:
    result = check("http://127.0.0.1:9/report.html")
    assert result.outcome == "network-error"
    assert result.error.startswith("connect")


@pytest.mark.parametrize(
    ("path", "outcome"), [("/huge", "alive"), ("/bomb", "drifted")]
)
def test_huge_body_and_gzip_bomb_are_checked_within_the_cap(
    web: FakeWeb, path: str, outcome: str
) -> None:
    tracemalloc.start()
    try:
        result = check(web.url(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.outcome == outcome and result.truncated
    # Far less than the bomb inflates to: the body was never inflated in full.
    assert peak < 40_000_000


def test_redirect_loop(web: FakeWeb) -> None:
    result = check(web.url("/loop-a"))
    assert result.outcome == "redirect-loop"
    assert [hop.status for hop in result.redirect_chain] == [302, 302]


def test_robots_txt_is_respected_and_read_once(web: FakeWeb) -> None:
    async def go() -> list[str]:
        robots = RobotsRules()
        async with make_client(limits=LIMITS, allow_private=True) as client:
            results = [
                await check_url(
                    client,
                    web.url(path, ROBOTS),
                    excerpt=[QUOTE],
                    limits=LIMITS,
                    robots=robots,
                    retry=RETRY,
                )
                for path in ("/private/report.html", "/public/report.html")
            ]
        assert results[0].error == "disallowed by robots.txt"
        return [r.outcome for r in results]

    assert asyncio.run(go()) == ["blocked", "alive"]
    assert web.hits("/private/report.html") == []
    robots_hits = [r for r in web.hits("/robots.txt") if r.host.startswith(ROBOTS)]
    assert len(robots_hits) == 1


def test_pdf_with_and_without_the_excerpt(web: FakeWeb) -> None:
    found = check(web.url("/report.pdf"))
    assert found.outcome == "alive" and found.excerpt_found is True
    gone = check(web.url("/other.pdf"))
    assert gone.outcome == "drifted" and gone.excerpt_found is False


def test_probe_of_a_folder_is_asked_once(web: FakeWeb) -> None:
    async def go() -> None:
        probes = SiteProbes()
        robots = RobotsRules()
        async with make_client(limits=LIMITS, allow_private=True) as client:
            for name in ("a", "b", "c"):
                url = web.url(f"/probe-once/{name}.html", LENIENT)
                result = await check_url(client, url, excerpt=[QUOTE], limits=LIMITS,
                                         robots=robots, retry=RETRY, probes=probes)  # fmt: skip
                assert result.outcome == "soft-dead"

    asyncio.run(go())
    made_up = [r for r in web.hits() if r.path.startswith("/probe-once/lantern-")]
    assert len(made_up) == 1
