"""Panels: one definition of every chart, tile and table (see docs/ARCHITECTURE.md)."""
