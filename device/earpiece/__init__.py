"""Earpiece: an offline pocket companion for single-board computers."""

__version__ = "0.1.0"
