extensions = ["myst_parser", "support_policy.sphinxext"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
project = "snippets"
support_policy_example = True
