"""The one safe Excel writer: every export of the portal goes through it.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab/carriage return) is what
spreadsheet programs run as a formula ("CSV/formula injection"); such text is written as a
string cell with a leading apostrophe-free quote prefix, so it shows as typed and never runs.
Numbers stay numbers.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import Cell

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """A cell value that no spreadsheet evaluates: formula-like text is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeWorkbook:
    """A workbook whose sheets only take rows through :meth:`append` (values neutralised)."""

    def __init__(self):
        self.book = Workbook()
        self._first = True

    def sheet(self, title: str, header: Iterable | None = None):
        if self._first:
            ws = self.book.active
            ws.title = title[:31]
            self._first = False
        else:
            ws = self.book.create_sheet(title[:31])
        if header is not None:
            self.append(ws, header)
        return ws

    @staticmethod
    def append(ws, row: Iterable) -> None:
        ws.append([neutralise(str(v) if _is_lazy(v) else v) for v in row])
        # openpyxl marks text starting with "=" as a formula; our neutralised text never does,
        # but make sure no cell of this row is a formula whatever its value.
        for cell in ws[ws.max_row]:
            if isinstance(cell, Cell) and cell.data_type == "f":
                cell.data_type = "s"

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()

    def response(self, filename: str) -> HttpResponse:
        response = HttpResponse(self.to_bytes(), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def _is_lazy(value) -> bool:
    return type(value).__name__ == "__proxy__"
