extensions = ["myst_parser", "support_policy.sphinxext", "incremental_double"]
exclude_patterns = ["_build"]
support_policy_file = "policy.yaml"
