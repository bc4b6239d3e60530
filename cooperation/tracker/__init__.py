"""The domain: the records (models.py, with their querysets and the commitment state rules),
partial dates (dates.py), slugs (slugs.py), search (search.py), derived state — a commitment's
status (CommitmentQuerySet.refresh_status) and the stored counts (counts.py, kept by signals.py) —
and the commands load_seed and refresh_counts. Imports no other room of the project: the others
build on it.
"""
