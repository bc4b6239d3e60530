"""The domain's models, one module a concern; everything is re-exported here, so code imports
`cooperation.tracker.models` and the app label stays `tracker`.

- core.py: shared building blocks (publication, slugs), reference data, organizations and people,
  visits, documents and their parties, commitments and their status updates, the content version.
"""

from .core import *  # noqa: F403
