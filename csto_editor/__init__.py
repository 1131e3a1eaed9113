"""CSTO Editor: an offline editorial application for the CSTO press office."""

__version__ = "0.1.0"
