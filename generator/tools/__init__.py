"""Tools around the pipeline: export to Markdown, the offline bundle, the city-scale benchmark."""
