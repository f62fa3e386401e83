"""HTTP routers of the web app."""
