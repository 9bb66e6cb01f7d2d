extensions = ["myst_parser", "support_policy.sphinxext"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
project = "rotation handbook"
support_policy_file = "policy.yaml"
