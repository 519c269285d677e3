"""Lantern: an evidence library on human trafficking and modern slavery."""

__version__ = "0.1.0"
