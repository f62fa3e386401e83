"""The link layer: Wikidata QIDs for entities.

Offline (every build): the curated gazetteer's verified QIDs (set by the resolver) plus the
accepted look-ups of ``data/links/accepted.yaml`` (:func:`link_extraction`). Online (opt-in,
``allygraph link --online``): :class:`WikidataClient` searches Wikidata, :func:`propose_links`
checks types and dates and writes proposals a person reviews (:func:`accept_proposals`).
See ``docs/linking.md``.
"""

from __future__ import annotations

from allygraph.link.client import SearchHit, TokenBucket, WikidataClient
from allygraph.link.links import (
    AcceptedLink,
    is_ambiguous,
    link_entities,
    link_extraction,
    load_links,
    write_links,
)
from allygraph.link.lookup import (
    Candidate,
    LookupTarget,
    Proposal,
    collect_targets,
    extract_corpus,
    propose_links,
)
from allygraph.link.review import AcceptResult, accept_proposals, write_proposals

__all__ = [
    "AcceptResult",
    "AcceptedLink",
    "Candidate",
    "LookupTarget",
    "Proposal",
    "SearchHit",
    "TokenBucket",
    "WikidataClient",
    "accept_proposals",
    "collect_targets",
    "extract_corpus",
    "is_ambiguous",
    "link_entities",
    "link_extraction",
    "load_links",
    "propose_links",
    "write_links",
    "write_proposals",
]
