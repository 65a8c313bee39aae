"""Extraction: plans with sections in, mentions out: metadata (year, region, level, body), dates,
organisations with roles (also as spaCy components on a blank zh pipeline), and section categories."""
