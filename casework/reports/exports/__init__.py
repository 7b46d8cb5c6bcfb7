"""Data exports: one row per case, party, session, agreement, referral, follow-up visit,
community-police activity or alert, as CSV or XLSX, for analysis in a spreadsheet.

Each export is a list of columns read straight from the database in batches
(``yield_per``), limited to the rows the user may see (their area, through
``area_clause`` or ``policing_area_clause``). A coded column gives two columns: the stable
code, and its label in the export's language, which is chosen apart from the interface
language. Dates are ISO (YYYY-MM-DD), times are UTC and say so in their header, numbers stay
numbers and yes/no fields are 1 or 0, so that a spreadsheet sorts and sums them.

Text that a spreadsheet would run as a formula (= + - @, tab, carriage return) is made
inert: an apostrophe in front in CSV, a plain string cell (never a formula) in XLSX.
"""

from casework.reports.exports.catalogue import EXPORTS
from casework.reports.exports.checks import (
    allowed_exports,
    can_export,
    check_format,
    check_language,
    get_spec,
)
from casework.reports.exports.common import (
    BOOL,
    CASE_EXPORT_ROLES,
    CSV_DEFAULT_SEPARATOR,
    CSV_MIMETYPE,
    CSV_SEPARATORS,
    DATE,
    DATETIME,
    FORMATS,
    FORMULA_STARTS,
    INT,
    NAME_ROLES,
    POLICING_EXPORT_ROLES,
    RELAY_CODE_ROLES,
    TEXT,
    XLSX_MIMETYPE,
    XLSX_SPOOL_BYTES,
    YIELD_PER,
    Column,
    ExportError,
    ExportSpec,
    OutputColumn,
)
from casework.reports.exports.files import (
    CsvDialect,
    _csv_value,
    csv_chunks,
    csv_dialect,
    neutralise,
    write_csv,
    write_xlsx,
)
from casework.reports.exports.responses import download_name, stream_csv_response, xlsx_response
from casework.reports.exports.rows import (
    ANONYMISED_AT,
    DETAILS_HIDDEN,
    confidential_cases,
    export_columns,
    export_rows,
)

__all__ = [
    "ANONYMISED_AT",
    "BOOL",
    "CASE_EXPORT_ROLES",
    "CSV_DEFAULT_SEPARATOR",
    "CSV_MIMETYPE",
    "CSV_SEPARATORS",
    "DATE",
    "DATETIME",
    "DETAILS_HIDDEN",
    "EXPORTS",
    "FORMATS",
    "FORMULA_STARTS",
    "INT",
    "NAME_ROLES",
    "POLICING_EXPORT_ROLES",
    "RELAY_CODE_ROLES",
    "TEXT",
    "XLSX_MIMETYPE",
    "XLSX_SPOOL_BYTES",
    "YIELD_PER",
    "Column",
    "CsvDialect",
    "ExportError",
    "ExportSpec",
    "OutputColumn",
    "_csv_value",
    "allowed_exports",
    "can_export",
    "check_format",
    "check_language",
    "confidential_cases",
    "csv_chunks",
    "csv_dialect",
    "download_name",
    "export_columns",
    "export_rows",
    "get_spec",
    "neutralise",
    "stream_csv_response",
    "write_csv",
    "write_xlsx",
    "xlsx_response",
]
