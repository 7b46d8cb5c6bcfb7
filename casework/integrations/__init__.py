"""Open to the tools the field already uses: XLSForms for KoboToolbox and ODK Collect, the
import of their submissions, and the import of case registers kept in spreadsheets.

Everything is created through the domains' own services (the same checks, the same audit
trail, the same area rules): this package only reads files and maps their values."""
