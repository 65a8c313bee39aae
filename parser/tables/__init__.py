"""Tables: parsed ``Document``s in, research data out: pandas frames (plans, sections, dates,
organizations, activities, activity_dates) and files in json, jsonl, csv, parquet or text, written atomically."""
