"""Ingest: bytes of a file or fetched page in, a ``Document`` out (decoded text and its same-length
normalised form; for HTML, the main text found on the page with its title and date)."""
