"""The resolve layer."""
