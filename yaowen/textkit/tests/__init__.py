"""Tests for the plain-Python Chinese text engine (no database, no Django)."""
