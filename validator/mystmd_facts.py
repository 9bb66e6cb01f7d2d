"""What this project knows about mystmd, in one place (no imports: ``noxfile.py`` loads it
by path before the package is installed).

``init --engine mystmd`` writes the pin and the problem pattern into the scaffolded
workflow; ``nox -s docs-myst`` installs the same version and scans its log with the same
pattern; the mystmd tests and the guide (checked by a test) agree with them.
"""

#: The mystmd release the plugin protocol and the transform are tested with.
MYSTMD_VERSION = "1.8.3"
#: What ``npm install`` is given.
MYSTMD_PACKAGE = f"mystmd@{MYSTMD_VERSION}"
#: The markers mystmd puts before a warning and an error in its log, as an alternation
#: that both ``grep -E`` and Python's ``re`` read the same way.
PROBLEM_MARKERS = "⚠️|⛔️"
