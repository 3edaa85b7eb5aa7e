"""What the services' operations share: the request context, the Describe pipeline,
filters, paging tokens, IDs, tag rules, look-ups by ID and the authorize stage."""
