"""Recommendation writes: hot scores, stored related lists, the reader feed."""
