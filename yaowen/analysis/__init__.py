"""What the text engine knows about each article: keywords, fingerprint, predicted channel."""
