"""Exports as web responses: streamed CSV, XLSX downloads."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date

from flask import Response, send_file, stream_with_context

from casework.auth.models import User
from casework.db import utcnow
from casework.reports.exports.common import CSV_MIMETYPE, XLSX_MIMETYPE, XLSX_SPOOL_BYTES
from casework.reports.exports.files import csv_chunks, write_xlsx

# --- web responses ----------------------------------------------------------------------------


def download_name(name: str, lang: str, fmt: str, day: date | None = None) -> str:
    """e.g. cases-2026-11-28-fr.csv"""
    day = day or utcnow().date()
    return f"{name.replace('_', '-')}-{day.isoformat()}-{lang}.{fmt}"


def stream_csv_response(name: str, user: User, lang: str, sep: str | None = None) -> Response:
    """A CSV download streamed as it is read. Raises ExportError before anything is sent."""
    chunks = csv_chunks(name, user, lang, sep)
    response = Response(stream_with_context(_encoded(chunks)), mimetype=CSV_MIMETYPE)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{download_name(name, lang, "csv")}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _encoded(chunks: Iterator[str]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode("utf-8")


def xlsx_response(name: str, user: User, lang: str) -> Response:
    """An XLSX download, built in a spooled temporary file (memory, then disk past
    XLSX_SPOOL_BYTES) and then sent. Raises ExportError before anything is sent."""
    spool = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)  # noqa: SIM115 - sent, then closed by the response
    try:
        write_xlsx(name, user, lang, spool)
        size = spool.tell()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    response = send_file(
        spool,
        mimetype=XLSX_MIMETYPE,
        as_attachment=True,
        download_name=download_name(name, lang, "xlsx"),
        max_age=0,
    )
    response.content_length = size
    response.headers["Cache-Control"] = "no-store"
    return response
