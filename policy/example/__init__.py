"""The bundled example policy (package data)."""
