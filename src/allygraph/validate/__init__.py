"""The validate layer."""
