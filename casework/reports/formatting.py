"""How report values are written in the report's language."""

from __future__ import annotations

from flask_babel import format_decimal, format_percent

from casework.i18n import format_fcfa

MISSING = "—"


def show(value, kind: str = "count") -> str:
    """A value as text: numbers by Babel in the active locale; "<5" and "–" as they are."""
    if value is None:
        return MISSING
    if isinstance(value, str):
        return value
    if kind == "rate":
        return format_percent(value, format="#,##0.0 %")
    if kind == "fcfa":
        return format_fcfa(value)
    if kind == "days":
        return format_decimal(round(value, 1))
    if kind == "minutes":
        return format_decimal(round(value))
    return format_decimal(value)


def bar_chart(table, width: int = 380, bar: int = 14, gap: int = 6) -> str:
    """A small horizontal bar chart of a table's first column, as SVG markup (no script).
    The data table is always printed beside it; the chart only helps the eye."""
    rows = [(str(label), values[0]) for _key, label, values in table.rows]
    numbers = [v if isinstance(v, int | float) else 0 for _label, v in rows]
    top = max(numbers, default=0) or 1
    label_width = 170
    height = len(rows) * (bar + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="{_escape(str(table.title))}">'
    ]
    for index, ((label, value), number) in enumerate(zip(rows, numbers, strict=True)):
        y = gap + index * (bar + gap)
        length = int((width - label_width - 40) * number / top)
        parts.append(
            f'<text x="{label_width - 4}" y="{y + bar - 3}" text-anchor="end" '
            f'font-size="10">{_escape(label[:26])}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar}" fill="#0b5d4b"/>'
            f'<text x="{label_width + length + 3}" y="{y + bar - 3}" font-size="10">'
            f"{_escape(show(value, table.kind_of(table.columns[0][0])))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
