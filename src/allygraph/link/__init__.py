"""The link layer."""
