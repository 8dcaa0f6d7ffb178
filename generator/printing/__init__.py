"""Stage 5: print documents rendered to PDF (WeasyPrint) and checked page by page."""
