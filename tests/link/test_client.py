"""The Wikidata client: User-Agent, cache, rate limit, retries with backoff (no network)."""

from __future__ import annotations

import datetime as dt
import itertools
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest

from allygraph.errors import LinkError
from allygraph.link.client import USER_AGENT, TokenBucket, WikidataClient

from .wikidata_replay import replay_client


def _client(handler, tmp_path: Path | None = None, **kwargs) -> tuple[WikidataClient, list]:
    slept: list[float] = []
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = WikidataClient(
        http,
        cache_dir=tmp_path,
        sleep=slept.append,
        clock=itertools.count(step=10).__next__,  # time moves on: the bucket never waits
        **kwargs,
    )
    return client, slept


def test_search_parses_wbsearchentities(tmp_path: Path) -> None:
    """A recorded search answer becomes SearchHits with label, description and matched text."""
    http, replay = replay_client()
    client = WikidataClient(http, cache_dir=tmp_path, sleep=lambda s: None)
    hits = client.search("Koizumi")
    assert [h.qid for h in hits] == ["Q130852", "Q661410"]
    assert hits[0].matched == "Koizumi"
    assert hits[0].description.startswith("Prime Minister")
    assert replay.requests[0].headers["user-agent"] == USER_AGENT


def test_user_agent_names_project_version_and_contact() -> None:
    """The User-Agent follows Wikimedia's policy: name/version, URL and contact."""
    assert USER_AGENT.startswith("allygraph/")
    assert "https://" in USER_AGENT
    assert "@" in USER_AGENT


def test_cache_makes_a_rerun_send_no_request(tmp_path: Path) -> None:
    """The second identical look-up is served from the on-disk cache."""
    http, replay = replay_client()
    first = WikidataClient(http, cache_dir=tmp_path, sleep=lambda s: None)
    first.search("Naoto Kan")
    first.sparql("SELECT * WHERE { VALUES ?item { wd:Q47846 } }")
    sent = len(replay.requests)
    again = WikidataClient(http, cache_dir=tmp_path, sleep=lambda s: None)
    assert again.search("Naoto Kan")[0].qid == "Q47846"
    assert again.sparql("SELECT * WHERE { VALUES ?item { wd:Q47846 } }")[0]["class"].endswith("Q5")
    assert len(replay.requests) == sent
    assert again.requests == 0


def test_retry_after_seconds_is_honoured(tmp_path: Path) -> None:
    """A 429 with Retry-After: 7 waits 7 s, then the retry succeeds."""
    answers = [
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(200, json={"search": []}),
    ]
    client, slept = _client(lambda request: answers.pop(0), tmp_path)
    assert client.search("x") == []
    assert slept == [7.0]
    assert client.requests == 2


def test_retry_after_http_date_is_honoured(tmp_path: Path) -> None:
    """A Retry-After given as an HTTP date waits until then (about 30 s here)."""
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    answers = [
        httpx.Response(503, headers={"Retry-After": format_datetime(later, usegmt=True)}),
        httpx.Response(200, json={"search": []}),
    ]
    client, slept = _client(lambda request: answers.pop(0), tmp_path)
    client.search("x")
    assert len(slept) == 1
    assert 25 <= slept[0] <= 31


def test_backoff_doubles_then_gives_up(tmp_path: Path) -> None:
    """5xx without Retry-After backs off 1, 2, 4 s and then raises LinkError."""
    client, slept = _client(lambda request: httpx.Response(502), tmp_path, max_retries=3)
    with pytest.raises(LinkError, match="gave up after 4 attempts"):
        client.search("x")
    assert slept == [1.0, 2.0, 4.0]


def test_transport_errors_are_retried(tmp_path: Path) -> None:
    """A connection error is retried like a 503."""
    calls = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] == 1:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json={"search": []})

    client, slept = _client(handler, tmp_path)
    assert client.search("x") == []
    assert slept == [1.0]


def test_client_errors_are_not_retried(tmp_path: Path) -> None:
    """A 400 or 404 fails at once with the URL and status in the message."""
    client, slept = _client(lambda request: httpx.Response(404), tmp_path)
    with pytest.raises(LinkError, match="HTTP 404"):
        client.search("x")
    assert slept == []


def test_failures_are_not_cached(tmp_path: Path) -> None:
    """Nothing is written to the cache when a request fails."""
    client, _ = _client(lambda request: httpx.Response(400), tmp_path)
    with pytest.raises(LinkError):
        client.search("x")
    assert not any(tmp_path.rglob("*.json"))


def test_malformed_answers_raise_link_error(tmp_path: Path) -> None:
    """Answers that are not the API's shape are reported, not half-parsed."""
    client, _ = _client(lambda request: httpx.Response(200, json={"oops": 1}), tmp_path)
    with pytest.raises(LinkError, match="'search' list"):
        client.search("x")
    with pytest.raises(LinkError, match=r"SPARQL 1\.1 JSON results"):
        client.sparql("SELECT * {}")
    client, _ = _client(lambda request: httpx.Response(200, text="<html>"), None)
    with pytest.raises(LinkError, match="must be JSON"):
        client.search("y")


def test_rate_must_be_positive() -> None:
    """A zero rate is a configuration mistake."""
    with pytest.raises(LinkError, match="rate must be > 0"):
        WikidataClient(httpx.Client(), rate=0)


def test_token_bucket_spaces_requests() -> None:
    """At one request per second, three requests at the same instant wait 1 s each."""
    slept: list[float] = []
    now = {"t": 0.0}

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now["t"] += seconds

    bucket = TokenBucket(rate=1.0, capacity=1, clock=lambda: now["t"], sleep=sleep)
    for _ in range(3):
        bucket.acquire()
    assert slept == [1.0, 1.0]


def test_token_bucket_refills_over_time() -> None:
    """After a pause long enough, no wait is needed."""
    slept: list[float] = []
    now = {"t": 0.0}
    bucket = TokenBucket(rate=2.0, capacity=1, clock=lambda: now["t"], sleep=slept.append)
    bucket.acquire()
    now["t"] = 5.0
    bucket.acquire()
    assert slept == []
