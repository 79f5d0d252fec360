"""The llm backend's machinery: settings, prompts, the endpoint client, cache, fake server and recorder."""
