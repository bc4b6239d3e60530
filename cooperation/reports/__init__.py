"""The overview, the status report with its exports and command, and the Atom feeds. Every figure
is computed in the database by services.py with the domain's rules (cooperation/tracker); the
rendered figures are kept by the report cache (cooperation/caching).
"""
