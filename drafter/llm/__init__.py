"""Talking to an OpenAI-compatible model, for any task (extraction and draft prose use it the same way).

config (settings, the run object LLM with its one endpoint, the usage ledger) · call (the one cached call loop) ·
client (the endpoint: retries, re-asks, deadline, limits) · limits (rate limits, circuit breaker) · deadline ·
cache · prompt (templates, payload tags, token estimate) · validation (re-ask errors, validator scopes) · batch
(the provider Batch API) · threads · log · secrets. What a task asks and how its answers are checked live with the
task (drafter.extract.llm, drafter.drafting.prose); the fixture tooling above it in drafter.replay.
"""
