"""The drafting side: prior-year summaries → next year's Markdown draft (compose, prose) → Word (docx) → check."""
