"""What the services' operations share: the request context, filters, paging tokens,
IDs, tag rules, look-ups by ID and the authorize stage."""
