"""Full-text search over published articles: the index and the query."""
