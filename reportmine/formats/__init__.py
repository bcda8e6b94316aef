"""Readers for the formats besides plain text; each needs an optional extra, imported only when used."""
