"""support-policy."""
