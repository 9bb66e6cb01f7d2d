"""The handbook as a neutral document: what each directive shows, before an engine draws it.

Framework-free (no Sphinx, no docutils): ``model`` holds the document values, each
directive's builder turns the policy into them once, and each engine renders them —
``support_policy.sphinxext`` into docutils nodes, the mystmd plugin into MyST AST.
"""
