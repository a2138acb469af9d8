"""`ladder serve`: the web app of the visitation meeting, a shell around the engine like cli.py."""
