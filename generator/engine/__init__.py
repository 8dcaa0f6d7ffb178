"""Stage 6: the adapter to the site engine, MkDocs or ProperDocs: the `huxiao` plugin."""
