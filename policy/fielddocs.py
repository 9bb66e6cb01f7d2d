"""The documentation of each model field: the docstring written under it.

Read from the source when asked (for the JSON Schema and the format reference), rather
than by pydantic at import time, which would parse every model's source on every start
of the command line tool.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from functools import cache


@cache
def field_docs(model: type) -> dict[str, str]:
    """Field name → its docstring, for one model class (inherited fields excluded)."""
    try:
        source = textwrap.dedent(inspect.getsource(model))
    except (OSError, TypeError):
        return {}
    class_def = ast.parse(source).body[0]
    if not isinstance(class_def, ast.ClassDef):
        return {}
    docs: dict[str, str] = {}
    for statement, following in zip(class_def.body, class_def.body[1:], strict=False):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[statement.target.id] = inspect.cleandoc(following.value.value)
    return docs
