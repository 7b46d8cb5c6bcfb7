"""How report values are written in the report's language."""

from __future__ import annotations

import textwrap

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


# The chart's geometry, in SVG pixels at font-size 10 (DejaVu Sans, the print font: about 6
# pixels a character on average, so a line of LABEL_CHARS characters fits LABEL_WIDTH).
LABEL_CHARS = 32
CHAR_WIDTH = 6
LINE_HEIGHT = 12
VALUE_WIDTH = 56


def chart_lines(label: str, width: int = LABEL_CHARS) -> list[str]:
    """A label broken between words onto as many lines as it needs: never cut, never
    shortened. A single word longer than a line is left whole on its own line."""
    return textwrap.wrap(label, width, break_long_words=False, break_on_hyphens=False) or [""]


def bar_chart(table, width: int = 440, bar: int = 14, gap: int = 8) -> str:
    """A small horizontal bar chart of a table's first column, as SVG markup (no script).
    Labels wrap onto several lines, so that none is cut; the label column is as wide as the
    longest line. The data table is always printed beside it; the chart only helps the eye."""
    kind = table.kind_of(table.columns[0][0])
    rows = [(chart_lines(str(label)), values[0]) for _key, label, values in table.rows]
    numbers = [v if isinstance(v, int | float) else 0 for _lines, v in rows]
    top = max(numbers, default=0) or 1
    longest = max((len(line) for lines, _v in rows for line in lines), default=0)
    label_width = longest * CHAR_WIDTH + 8
    width = max(width, label_width + 120 + VALUE_WIDTH)
    heights = [max(bar, len(lines) * LINE_HEIGHT) for lines, _v in rows]
    height = sum(heights) + gap * (len(rows) + 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="DejaVu Sans, Noto Sans, sans-serif" '
        f'aria-label="{_escape(str(table.title))}">'
    ]
    top_of_row = gap
    for (lines, value), number, row_height in zip(rows, numbers, heights, strict=True):
        middle = top_of_row + row_height / 2
        bar_top = middle - bar / 2
        length = int((width - label_width - VALUE_WIDTH) * number / top)
        # The lines of a label are centred on their bar; 3.5 puts a 10px line's middle there.
        first = middle - (len(lines) - 1) * LINE_HEIGHT / 2 + 3.5
        for index, line in enumerate(lines):
            parts.append(
                f'<text x="{label_width - 6}" y="{first + index * LINE_HEIGHT:g}" '
                f'text-anchor="end" font-size="10">{_escape(line)}</text>'
            )
        parts.append(
            f'<rect x="{label_width}" y="{bar_top:g}" width="{length}" height="{bar}" '
            f'fill="#0b5d4b"/>'
            f'<text x="{label_width + length + 3}" y="{middle + 3.5:g}" font-size="10">'
            f"{_escape(show(value, kind))}</text>"
        )
        top_of_row += row_height + gap
    parts.append("</svg>")
    return "".join(parts)


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
