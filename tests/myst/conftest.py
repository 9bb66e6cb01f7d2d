"""mystmd builds of the handbook: collected only inside ``nox -s docs-myst``.

They need mystmd (from the npm registry), the mystmd handbook that session builds and
the Sphinx handbook beside it; the session sets ``SUPPORT_POLICY_MYST`` (the ``myst``
executable), ``SUPPORT_POLICY_MYST_SITE`` and ``SUPPORT_POLICY_HTML``. Without them
nothing in this folder is collected.
"""

from __future__ import annotations

import os

collect_ignore_glob = [] if os.environ.get("SUPPORT_POLICY_MYST") else ["*"]

if not collect_ignore_glob:
    import sys
    from pathlib import Path

    # The Sphinx tests' hostile policy and fixtures are shared from the folder above.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
