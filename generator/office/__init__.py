"""Office files (Word) made from the report objects: views only, no counting here."""
