"""Fixture tooling above the LLM path: a loopback OpenAI-compatible server that replays fixtures, and the recorder."""
