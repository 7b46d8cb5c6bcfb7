#!/usr/bin/env bash
# Render the periodic report's XLSX, DOCX and PDF (French and English) from the current
# database and picture one page of each, as LibreOffice shows them, into docs/screenshots/.
# Needs LibreOffice (libreoffice-calc, libreoffice-writer), poppler-utils and the
# Carlito font (fonts-crosextra-carlito, metric twin of Calibri). Usage, after `make run`
# has loaded the demo: docs/screenshots/documents.sh [PERIOD]
set -euo pipefail
cd "$(dirname "$0")/../.."
period="${1:-$(date +%Y)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for lang in fr en; do
  for fmt in xlsx docx pdf; do
    .venv/bin/casework report periodic --period "$period" --lang "$lang" --format "$fmt" \
      -o "$work/report-$fmt-$lang.$fmt" >/dev/null
  done
done
(cd "$work" && libreoffice --headless --convert-to pdf ./*.xlsx ./*.docx >/dev/null 2>&1)
# The page shown: the first table sheet of the workbook (after the contents and the key
# figures), the first page of the Word document, the PDF's page with the ladder chart.
page_of() {  # the first page of PDF $1 that holds the text $2
  pdftotext "$1" - | awk -v RS='\f' -v want="$2" '!found && index($0, want) {found = NR} END {print found}'
}
for lang in fr en; do
  first_table=$([ "$lang" = fr ] && echo "Dossiers de médiation ·" || echo "Mediation cases ·")
  ladder=$([ "$lang" = fr ] && echo "Niveau de l'échelle" || echo "Level of the ladder")
  sheet=$(page_of "$work/report-xlsx-$lang.pdf" "$first_table")
  chart=$(page_of "$work/report-pdf-$lang.pdf" "$ladder")
  pdftoppm -r 100 -png -singlefile -f "$sheet" -l "$sheet" "$work/report-xlsx-$lang.pdf" \
    "$work/report-xlsx-$lang"
  pdftoppm -r 100 -png -singlefile -f 1 -l 1 "$work/report-docx-$lang.pdf" "$work/report-docx-$lang"
  pdftoppm -r 100 -png -singlefile -f "$chart" -l "$chart" "$work/report-pdf-$lang.pdf" \
    "$work/report-pdf-$lang"
done
.venv/bin/python - "$work" <<'PY'
import sys
from pathlib import Path

from PIL import Image, ImageChops

work = Path(sys.argv[1])
for png in sorted(work.glob("report-*.png")):
    image = Image.open(png).convert("RGB")
    if png.name.startswith("report-xlsx"):  # a sheet's page: drop the blank bottom
        box = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
        image = image.crop((0, 0, image.width, min(image.height, box[3] + 40)))
    image.quantize(colors=128).save(Path("docs/screenshots") / png.name, optimize=True)
    print("docs/screenshots/" + png.name)
PY
