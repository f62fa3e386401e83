"""A polite, cached client for Wikidata's search API and SPARQL endpoint (opt-in, online).

Nothing here runs unless a user asks for ``allygraph link --online``. The client:

- takes an :class:`httpx.Client` from the caller (tests pass one with an
  :class:`httpx.MockTransport` that replays recorded JSON, so no test touches the network);
- sends a descriptive ``User-Agent`` (Wikimedia's User-Agent policy asks for a name, a
  version and a way to reach the operator);
- spaces requests with a token bucket (:class:`TokenBucket`);
- retries 429 and 5xx responses and transport errors with exponential backoff, honouring
  ``Retry-After`` (RFC 9110, section 10.2.3) when the server sends it;
- keeps every successful response in an on-disk cache keyed by method, URL and parameters,
  so a rerun of the same look-ups sends no request at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx

from allygraph import __version__
from allygraph.errors import LinkError

__all__ = [
    "DEFAULT_CACHE_DIR",
    "SEARCH_URL",
    "SPARQL_URL",
    "USER_AGENT",
    "SearchHit",
    "TokenBucket",
    "WikidataClient",
]

SEARCH_URL = "https://www.wikidata.org/w/api.php"
SPARQL_URL = "https://query.wikidata.org/sparql"
USER_AGENT = (
    f"allygraph/{__version__} (https://github.com/allygraph/allygraph; "
    "allygraph-maintainers@users.noreply.github.com) httpx"
)
DEFAULT_CACHE_DIR = Path("var/cache/wikidata")

_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(slots=True)
class TokenBucket:
    """Allow ``rate`` requests per second on average, in bursts of at most ``capacity``.

    ``clock`` and ``sleep`` are injectable so tests run instantly.

    >>> slept = []
    >>> bucket = TokenBucket(rate=2.0, capacity=1, clock=lambda: 0.0, sleep=slept.append)
    >>> bucket.acquire(); bucket.acquire()
    >>> slept
    [0.5]
    """

    rate: float = 1.0
    capacity: int = 1
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _tokens: float = field(default=-1.0, repr=False)
    _stamp: float = field(default=0.0, repr=False)

    def acquire(self) -> None:
        """Take one token, sleeping until one is available."""
        now = self.clock()
        if self._tokens < 0:  # first use: start full
            self._tokens, self._stamp = float(self.capacity), now
        self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        if self._tokens >= 1:
            self._tokens -= 1
            return
        wait = (1 - self._tokens) / self.rate
        self.sleep(wait)
        self._tokens = 0.0
        self._stamp = now + wait


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One candidate of Wikidata's ``wbsearchentities``: QID, label, description, matched text."""

    qid: str
    label: str
    description: str = ""
    matched: str = ""
    aliases: tuple[str, ...] = ()


def _cache_key(method: str, url: str, params: Mapping[str, str]) -> str:
    canonical = json.dumps([method, url, sorted(params.items())], ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _retry_after(response: httpx.Response, now: dt.datetime) -> float | None:
    """Seconds the server asks us to wait (delta-seconds or an HTTP date), if it says."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return max(0.0, (moment - now).total_seconds())


class WikidataClient:
    """Search and query Wikidata through a caller-supplied :class:`httpx.Client`.

    Args:
        http: The HTTP client (its transport decides whether anything leaves the machine).
        cache_dir: Folder of cached responses; ``None`` disables the cache.
        rate: Requests per second (token bucket); Wikidata asks bots to stay serial and slow.
        max_retries: Retries of a request after 429, 5xx or a transport error.
        backoff: First backoff in seconds; doubled on every retry, capped at ``max_backoff``.
        sleep: Called to wait (injectable for tests).
        clock: Monotonic clock of the token bucket (injectable for tests).
        user_agent: The ``User-Agent`` header sent with every request.

    Attributes:
        requests: How many HTTP requests were sent (cache hits send none).
    """

    def __init__(
        self,
        http: httpx.Client,
        *,
        cache_dir: Path | None = DEFAULT_CACHE_DIR,
        rate: float = 1.0,
        max_retries: int = 4,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        user_agent: str = USER_AGENT,
        search_url: str = SEARCH_URL,
        sparql_url: str = SPARQL_URL,
    ) -> None:
        if rate <= 0:
            msg = f"WikidataClient: rate must be > 0 requests per second (got {rate})"
            raise LinkError(msg)
        self.http = http
        self.cache_dir = cache_dir
        self.bucket = TokenBucket(rate=rate, capacity=1, clock=clock, sleep=sleep)
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.sleep = sleep
        self.user_agent = user_agent
        self.search_url = search_url
        self.sparql_url = sparql_url
        self.requests = 0

    # -- public API -------------------------------------------------------------------

    def search(self, text: str, *, language: str = "en", limit: int = 7) -> list[SearchHit]:
        """Candidates for a name from ``wbsearchentities`` (labels and aliases, prefix match).

        Raises:
            LinkError: The service keeps failing or answers something that is not the API's.
        """
        params = {
            "action": "wbsearchentities",
            "search": text,
            "language": language,
            "uselang": language,
            "type": "item",
            "limit": str(limit),
            "format": "json",
        }
        data = self._get_json(self.search_url, params)
        hits = data.get("search") if isinstance(data, dict) else None
        if not isinstance(hits, list):
            msg = f"{self.search_url}: a wbsearchentities answer must hold a 'search' list"
            raise LinkError(f"{msg} (got {str(data)[:80]!r})")
        out = []
        for hit in hits:
            if not isinstance(hit, dict) or not isinstance(hit.get("id"), str):
                continue
            match = hit.get("match")
            match = match if isinstance(match, dict) else {}
            aliases = hit.get("aliases")
            aliases = aliases if isinstance(aliases, list) else []
            out.append(
                SearchHit(
                    qid=hit["id"],
                    label=str(hit.get("label") or ""),
                    description=str(hit.get("description") or ""),
                    matched=str(match.get("text") or ""),
                    aliases=tuple(str(a) for a in aliases),
                )
            )
        return out

    def sparql(self, query: str) -> list[dict[str, str]]:
        """Run a SELECT query on the Wikidata Query Service; one ``{var: value}`` per row.

        Raises:
            LinkError: The service keeps failing or the answer is not SPARQL JSON results.
        """
        data = self._get_json(self.sparql_url, {"query": query, "format": "json"})
        try:
            bindings = data["results"]["bindings"]
            return [{k: str(v["value"]) for k, v in row.items()} for row in bindings]
        except (KeyError, TypeError) as err:
            msg = f"{self.sparql_url}: the answer must be SPARQL 1.1 JSON results (missing {err})"
            raise LinkError(msg) from None

    # -- transport --------------------------------------------------------------------

    def _cache_path(self, url: str, params: Mapping[str, str]) -> Path | None:
        if self.cache_dir is None:
            return None
        key = _cache_key("GET", url, params)
        return self.cache_dir / key[:2] / f"{key}.json"

    def _get_json(self, url: str, params: Mapping[str, str]) -> Any:
        path = self._cache_path(url, params)
        if path is not None and path.is_file():
            try:
                return json.loads(path.read_text(encoding="utf-8"))["json"]
            except (OSError, ValueError, KeyError):
                pass  # a damaged cache entry is refetched
        data = self._fetch(url, params)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            record = {"url": url, "params": dict(params), "json": data}
            tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)
        return data

    def _fetch(self, url: str, params: Mapping[str, str]) -> Any:
        headers = {"User-Agent": self.user_agent, "Accept": "application/json"}
        if url == self.sparql_url:
            headers["Accept"] = "application/sparql-results+json"
        problem = ""
        for attempt in range(self.max_retries + 1):
            self.bucket.acquire()
            self.requests += 1
            try:
                response = self.http.get(url, params=dict(params), headers=headers)
            except httpx.TransportError as err:
                problem = f"{type(err).__name__}: {err}"
                wait = None
            else:
                if response.status_code == 200:
                    try:
                        return response.json()
                    except ValueError:
                        msg = f"{url}: the answer must be JSON (got {response.text[:80]!r})"
                        raise LinkError(msg) from None
                if response.status_code not in _RETRY_STATUS:
                    msg = f"{url}: the request must succeed (got HTTP {response.status_code})"
                    raise LinkError(msg)
                problem = f"HTTP {response.status_code}"
                wait = _retry_after(response, dt.datetime.now(dt.UTC))
            if attempt == self.max_retries:
                break
            backoff = min(self.max_backoff, self.backoff * 2**attempt)
            self.sleep(min(self.max_backoff, wait) if wait is not None else backoff)
        msg = f"{url}: gave up after {self.max_retries + 1} attempts (last: {problem})"
        raise LinkError(msg)
