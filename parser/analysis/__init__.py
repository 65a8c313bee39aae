"""Analysis of the parsed tables: corpus overview, category shares, activity calendar, organisers,
distinctive terms per region and side-by-side comparison of two plans.

Every function takes the DataFrames of ``parser.to_frames`` / ``load_corpus`` and returns a
DataFrame (empty, with its columns, when the input is empty).
"""
from __future__ import annotations

from .compare import compare_plans, comparison_summary, pick_pair, title_similarity
from .corpus import (UNKNOWN, corpus_summary, count_by, empty_tables, load_corpus, parse_corpus, read_tables,
                     sample_corpus_path, save_tables, sections_per_level)
from .organisers import (activity_roles, organisation_roles, organiser_categories, organiser_partners,
                         organiser_table, split_names)
from .shares import activity_calendar, category_counts, category_shares, months_of
from .terms import distinctive_terms, stopwords, terms_wide, tfidf_terms, tokenize

__all__ = [
    "UNKNOWN", "load_corpus", "parse_corpus", "read_tables", "save_tables", "empty_tables", "sample_corpus_path",
    "corpus_summary", "count_by", "sections_per_level",
    "category_counts", "category_shares", "activity_calendar", "months_of",
    "activity_roles", "organiser_table", "organiser_partners", "organiser_categories", "organisation_roles",
    "split_names", "distinctive_terms", "tfidf_terms", "terms_wide", "tokenize", "stopwords",
    "compare_plans", "comparison_summary", "pick_pair", "title_similarity",
]
