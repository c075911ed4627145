"""Watchlists, name screening and bulk cross-referencing of lists.

- ``watchlists``: import FollowTheMoney JSON lines or CSV lists into the knowledge base.
- ``index``: the in-memory blocking-key index used to find candidates fast.
- ``screening``: screen one name (or a CSV of names) and explain every candidate.
- ``xref``: link two whole lists with Splink (DuckDB by default, Spark for big lists).
"""
