"""The domain's models, one module a concern; everything is re-exported here, so code imports
`cooperation.tracker.models` and the app label stays `tracker`.

- core.py: shared building blocks (publication, slugs), reference data, organizations and people,
  visits, documents and their parties, commitments and their status updates, the content version.
- figures.py: indicators and the figures the reports give (value, period, direction, reporter,
  source), and where the sources disagree.
- treaties.py: each side's steps after a document's signature, from which its treaty state is derived.
"""

from .core import *  # noqa: F403
from .figures import *  # noqa: F403
from .treaties import *  # noqa: F403
