"""Discoverability: sitemaps, robots.txt, share cards, and the head tags crawlers read."""
