"""The export layer."""
