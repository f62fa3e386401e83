"""The validate layer: SHACL validation (pySHACL) with the shipped ``ontology/shapes.ttl``."""

from __future__ import annotations

from .report import Severity, ValidationReport, ValidationResult, validate_graph

__all__ = ["Severity", "ValidationReport", "ValidationResult", "validate_graph"]
