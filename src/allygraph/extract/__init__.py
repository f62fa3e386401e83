"""The extract layer."""
