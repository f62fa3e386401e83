"""Contract: /reconcile answers validate against the Reconciliation API 0.2 JSON Schemas.

The schemas and their valid/invalid example documents come from ../shared (never copied into
the repository); their absolute ``$id`` references are resolved from those local files with a
``referencing`` registry, so nothing is fetched. The examples first check the validators.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from test_reconcile import recon  # the tiny app over the hand-made release

SPEC = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "reconciliation-api-0.2"
pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(
        not (SPEC / "schemas").is_dir(),
        reason="../shared/data/reconciliation-api-0.2 is absent (schemas live beside the repo)",
    ),
]

__all__ = ["recon"]

# example folder -> schema file that validates it
EXAMPLES = {
    "manifest": "manifest.json",
    "reconciliation-query-batch": "reconciliation-query-batch.json",
    "reconciliation-result-batch": "reconciliation-result-batch.json",
    "data-extension-query": "data-extension-query.json",
    "data-extension-response": "data-extension-response.json",
    "data-extension-property-proposal": "data-extension-property-proposal.json",
    "suggest-entities-response": "suggest-entities-response.json",
    "suggest-properties-response": "suggest-properties-response.json",
    "suggest-types-response": "suggest-types-response.json",
}

QUERY_BATCH = "reconciliation-query-batch"


def _validator(schema_file: str) -> Any:
    from jsonschema import Draft7Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    resources = []
    for path in sorted((SPEC / "schemas").glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents, default_specification=DRAFT7)
        resources.append((contents["$id"].rstrip("#"), resource))
        # the schemas refer to each other by file name relative to their own $id
        base = contents["$id"].rsplit("/", 1)[0]
        resources.append((f"{base}/{path.name}", resource))
    registry = Registry().with_resources(resources)
    schema = json.loads((SPEC / "schemas" / schema_file).read_text(encoding="utf-8"))
    return Draft7Validator(schema, registry=registry)


def _examples(kind: str, only: str | None = None) -> Iterator[Any]:
    for folder in sorted((SPEC / "examples").iterdir()) if (SPEC / "examples").is_dir() else []:
        if folder.name not in EXAMPLES or only not in (None, folder.name):
            continue
        for path in sorted((folder / kind).glob("*.json")) if (folder / kind).is_dir() else []:
            yield pytest.param(folder.name, path, id=f"{folder.name}/{path.name}")


@pytest.mark.parametrize(("folder", "path"), list(_examples("valid")))
def test_valid_examples_pass_our_validators(folder: str, path: Path) -> None:
    """Each valid example of the spec validates against its schema (registry resolves $ref)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    errors = list(_validator(EXAMPLES[folder]).iter_errors(document))
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize(("folder", "path"), list(_examples("invalid")))
def test_invalid_examples_fail_our_validators(folder: str, path: Path) -> None:
    """Each invalid example of the spec is rejected by its schema."""
    document = json.loads(path.read_text(encoding="utf-8"))
    assert list(_validator(EXAMPLES[folder]).iter_errors(document))


def _assert_valid(schema_file: str, document: Any) -> None:
    errors = sorted(_validator(schema_file).iter_errors(document), key=lambda e: e.path)
    assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors]


def test_manifest_validates(recon: TestClient) -> None:
    """The manifest validates against manifest.json."""
    _assert_valid("manifest.json", recon.get("/reconcile").json())


QUERIES = [
    {"q0": {"query": "Naoto Kan"}},
    {"q0": {"query": "Koizumi", "type": "Person", "limit": 3}},
    {"q1": {"query": "the Guidelines", "type": ["Treaty"], "type_strict": "any",
            "properties": [{"pid": "signedDate", "v": ["1997-09-23", {"id": "x", "name": "y"}]}]}},
    {"q2": {"properties": [{"pid": "wikidata", "v": "Q47846"}]}},
    {"q3": {"query": "nothing like anything in the store"}},
]  # fmt: skip


@pytest.mark.parametrize("batch", QUERIES)
def test_query_batches_and_results_validate(recon: TestClient, batch: dict) -> None:
    """Our test batches are valid 0.2 batches and our answers valid result batches."""
    _assert_valid("reconciliation-query-batch.json", batch)
    response = recon.post("/reconcile", data={"queries": json.dumps(batch)})
    assert response.status_code == 200
    _assert_valid("reconciliation-result-batch.json", response.json())


@pytest.mark.parametrize(("folder", "path"), list(_examples("valid", QUERY_BATCH)))
def test_spec_example_batches_are_answered(recon: TestClient, folder: str, path: Path) -> None:
    """The spec's own example query batches get valid result batches (not errors)."""
    batch = json.loads(path.read_text(encoding="utf-8"))
    response = recon.get("/reconcile", params={"queries": json.dumps(batch)})
    assert response.status_code == 200
    _assert_valid("reconciliation-result-batch.json", response.json())
    assert set(response.json()) == set(batch)


@pytest.mark.parametrize(("folder", "path"), list(_examples("invalid", QUERY_BATCH)))
def test_spec_invalid_batches_get_400(recon: TestClient, folder: str, path: Path) -> None:
    """The spec's invalid query batches are refused with 400 and the error shape."""
    response = recon.post("/reconcile", data={"queries": path.read_text(encoding="utf-8")})
    assert response.status_code == 400
    assert response.json()["status"] == "error"


def test_data_extension_validates(recon: TestClient) -> None:
    """A data extension query and its answer validate against the extension schemas."""
    query = {
        "ids": ["person/naoto-kan", "treaty/guidelines-1997", "state/japan", "person/none"],
        "properties": [
            {"id": "wikidata"},
            {"id": "label"},
            {"id": "signedDate"},
            {"id": "party", "settings": {"limit": "1"}},
            {"id": "affiliatedWith"},
            {"id": "linkSource"},
        ],
    }
    _assert_valid("data-extension-query.json", query)
    response = recon.get("/reconcile", params={"extend": json.dumps(query)})
    assert response.status_code == 200
    _assert_valid("data-extension-response.json", response.json())


@pytest.mark.parametrize("type_id", ["Treaty", "Person", "Agency", "Unknown"])
def test_property_proposals_validate(recon: TestClient, type_id: str) -> None:
    """Property proposals validate for known and unknown types."""
    body = recon.get("/reconcile/properties", params={"type": type_id, "limit": 3}).json()
    _assert_valid("data-extension-property-proposal.json", body)


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        ("/reconcile/suggest/entity", "suggest-entities-response.json"),
        ("/reconcile/suggest/type", "suggest-types-response.json"),
        ("/reconcile/suggest/property", "suggest-properties-response.json"),
    ],
)
@pytest.mark.parametrize("prefix", ["", "k", "Mini", "zzz"])
def test_suggest_responses_validate(recon: TestClient, path: str, schema: str, prefix: str) -> None:
    """Every suggest service answers with a valid suggest response."""
    _assert_valid(schema, recon.get(path, params={"prefix": prefix}).json())


def test_flyout_matches_the_example_shape(recon: TestClient) -> None:
    """The flyout answer has exactly the example's keys: id and html."""
    example = json.loads(
        (SPEC / "examples" / "flyout-response" / "valid" / "example.json").read_text("utf-8")
    )
    ours = recon.get("/reconcile/flyout/entity", params={"id": "state/japan"}).json()
    assert set(ours) == set(example)
    assert isinstance(ours["html"], str)


def test_preview_metadata_matches_the_example_shape(recon: TestClient) -> None:
    """The manifest's preview metadata has the example's keys and a {{id}} template."""
    example = json.loads(
        (SPEC / "examples" / "preview-metadata" / "valid" / "example.json").read_text("utf-8")
    )
    preview = recon.get("/reconcile").json()["preview"]
    assert set(preview) == set(example)
    assert "{{id}}" in preview["url"]
