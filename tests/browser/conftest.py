"""Browser checks of the built handbook: collected only inside ``nox -s browser``.

They need the built HTML, the ``playwright`` package and a system Chromium, none of which
the ordinary ``tests`` session has, so without ``SUPPORT_POLICY_BROWSER`` (set by the
``browser`` session) nothing in this folder is collected, let alone imported.
"""

from __future__ import annotations

import os

collect_ignore_glob = [] if os.environ.get("SUPPORT_POLICY_BROWSER") else ["*"]
