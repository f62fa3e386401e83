"""Replay the hand-recorded Wikidata answers of tests/fixtures/wikidata/ (no network)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx

from allygraph.vocab import slugify

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "wikidata"


class Replay:
    """An httpx handler answering from the fixtures; records every request it saw."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        params = request.url.params
        if request.url.host == "www.wikidata.org" and params.get("action") == "wbsearchentities":
            path = FIXTURES / f"search-{slugify(params['search'])}.json"
            if not path.is_file():
                return httpx.Response(200, json={"search": [], "success": 1})
            return httpx.Response(200, json=json.loads(path.read_text(encoding="utf-8")))
        if request.url.host == "query.wikidata.org":
            values = re.search(r"VALUES \?item \{([^}]*)\}", params["query"])
            qids = re.findall(r"wd:(Q\d+)", values.group(1)) if values else []
            bindings = []
            for qid in qids:
                path = FIXTURES / f"sparql-{qid}.json"
                if path.is_file():
                    data = json.loads(path.read_text(encoding="utf-8"))
                    bindings += data["results"]["bindings"]
            head = {"vars": ["item", "class", "birth", "death", "date"]}
            return httpx.Response(200, json={"head": head, "results": {"bindings": bindings}})
        return httpx.Response(404)


def replay_client() -> tuple[httpx.Client, Replay]:
    """An httpx.Client whose transport replays the fixtures."""
    handler = Replay()
    return httpx.Client(transport=httpx.MockTransport(handler)), handler
