"""The one safe Excel writer: every export of the portal goes through it.

Text that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is what a
spreadsheet runs as a formula ("formula injection"). Such a cell is written as a plain string
with Excel's quote prefix set, so it shows exactly as typed, never runs, and stays text even
when someone edits the cell. Numbers stay numbers.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.http import HttpResponse
from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(value):
    # Lazy translations and other proxies become text; numbers, dates and None stay as they are.
    return str(value) if type(value).__name__ == "__proxy__" else value


def neutralise_cell(cell) -> None:
    """Make one cell safe: formula-like text becomes quoted text."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True


class SafeWorkbook:
    """A workbook whose rows go in through :meth:`append`, every cell neutralised."""

    def __init__(self):
        self.book = Workbook()
        self._first = True

    def sheet(self, title, header: Iterable | None = None):
        if self._first:
            ws = self.book.active
            ws.title = str(title)[:31]
            self._first = False
        else:
            ws = self.book.create_sheet(str(title)[:31])
        if header is not None:
            self.append(ws, header)
        return ws

    @staticmethod
    def append(ws, row: Iterable) -> None:
        ws.append([_plain(value) for value in row])
        for cell in ws[ws.max_row]:
            neutralise_cell(cell)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()

    def response(self, filename: str) -> HttpResponse:
        response = HttpResponse(self.to_bytes(), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
