"""Extraction of items, figures, metadata and areas from a report's text."""
