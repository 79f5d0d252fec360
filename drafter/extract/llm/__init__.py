"""The llm backend's facts: the extraction prompt and chunking, the grounded response schema, and the backend."""

from drafter.extract.llm.backend import Facts, check_size, chunk_calls, extract_facts, merge, merge_metrics

__all__ = ["Facts", "check_size", "chunk_calls", "extract_facts", "merge", "merge_metrics"]
