"""Geography: import, search and scope the administrative units.

Units are data: they are loaded from CSV files (the starter set is
``casework/geo/data/units.csv``), edited by importing a corrected file, and never named in
logic. Services flush and never commit: views and CLI commands commit.

The CSV format (UTF-8, a BOM is accepted; comma-separated, or semicolon-separated as
French spreadsheets write it). Line 1 is the header; the columns may come in any order:

==============  ========  =====================================================================
column          required  meaning
==============  ========  =====================================================================
``code``        yes       Stable identifier, at most 40 characters: capital letters A-Z,
                          digits and single hyphens (``GAO-GAO-NTILLIT``). A region's code is
                          the prefix of case references: 2 to 8 letters or digits, no hyphen
                          (``GAO``). Lower case is accepted and upper-cased.
``kind``        yes       ``region``, ``cercle``, ``commune``, ``village``, ``fraction`` or
                          ``quartier``.
``name``        yes       The name as written, with its accents and apostrophes, at most 120
                          characters (``N'Tillit``, ``Ménaka``).
``parent_code`` yes       The code of the unit above: empty for a region; a region for a
                          cercle, a cercle for a commune, a commune for a village, fraction or
                          quartier. The parent may be anywhere in the file or already in the
                          database.
``valid_from``  no        First day of validity, ``YYYY-MM-DD``; empty means 2012-01-01.
``valid_to``    no        Last day of validity, ``YYYY-MM-DD``; empty means still valid.
==============  ========  =====================================================================

An import is all or nothing: the whole file is checked first, and any problem (reported
with its line number, the header being line 1) leaves the database untouched. A valid
file creates the units whose code is new and updates the others (name, kind, parent,
validity): the file is the truth for the units it names. Units it does not name are kept.
"""

from casework.geo.services.common import (
    CODE_MAX,
    CODE_RE,
    COLUMNS,
    DATE_RE,
    DEFAULT_VALID_FROM,
    NAME_MAX,
    OPTIONAL_COLUMNS,
    REGION_CODE_RE,
    REQUIRED_COLUMNS,
    STARTER_SET,
    GeoError,
    GeoImportError,
    ImportResult,
    Message,
    Problem,
    UnitRow,
)
from casework.geo.services.importing import import_units, seed_units
from casework.geo.services.parsing import parse_units_csv
from casework.geo.services.sites import add_site
from casework.geo.services.tree import (
    UnitChoice,
    children_of,
    choices,
    choices_within,
    count_children,
    descendants_clause,
    get_unit,
    get_unit_by_code,
    list_units,
    region_of,
    search_units,
    today,
    unit_choice_list,
    unit_ids_within,
    valid_on_clause,
)

__all__ = [
    "CODE_MAX",
    "CODE_RE",
    "COLUMNS",
    "DATE_RE",
    "DEFAULT_VALID_FROM",
    "NAME_MAX",
    "OPTIONAL_COLUMNS",
    "REGION_CODE_RE",
    "REQUIRED_COLUMNS",
    "STARTER_SET",
    "GeoError",
    "GeoImportError",
    "ImportResult",
    "Message",
    "Problem",
    "UnitChoice",
    "UnitRow",
    "add_site",
    "children_of",
    "choices",
    "choices_within",
    "count_children",
    "descendants_clause",
    "get_unit",
    "get_unit_by_code",
    "import_units",
    "list_units",
    "parse_units_csv",
    "region_of",
    "search_units",
    "seed_units",
    "today",
    "unit_choice_list",
    "unit_ids_within",
    "valid_on_clause",
]
