"""A spreadsheet's text (.xlsx with openpyxl, .xls with xlrd): one row a line, cells by TAB.

Plans are often published as task tables (重点工作任务分解表); each sheet starts with its name
when the workbook has several, and empty rows and cells at the row's end are left out.
"""
from __future__ import annotations

import io
from typing import Iterable

from ..errors import InputEmpty, InputUndecodable


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _lines(sheets: Iterable[tuple[str, Iterable[Iterable]]], several: bool) -> list[str]:
    out = []
    for name, rows in sheets:
        body = []
        for row in rows:
            cells = [_cell(v) for v in row]
            while cells and not cells[-1]:
                cells.pop()
            if any(cells):
                body.append("\t".join(cells))
        if body:
            out += ([name] if several else []) + body
    return out


def sheet_text(data: bytes, source: str, kind: str) -> str:
    """The text of an .xlsx (``kind`` "xlsx") or .xls ("xls") workbook."""
    try:
        if kind == "xlsx":
            import openpyxl

            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheets = [(ws.title, list(ws.iter_rows(values_only=True))) for ws in wb.worksheets]
            wb.close()
        else:
            import xlrd

            book = xlrd.open_workbook(file_contents=data)
            sheets = [(sh.name, [sh.row_values(i) for i in range(sh.nrows)]) for sh in book.sheets()]
    except Exception as e:  # noqa: BLE001 - damaged workbooks raise many classes
        raise InputUndecodable(source, f"not a readable .{kind} file: {type(e).__name__}: {e}")
    lines = _lines(sheets, len(sheets) > 1)
    if not lines:
        raise InputEmpty(source, f"the .{kind} workbook has no cells with text")
    return "\n".join(lines) + "\n"
