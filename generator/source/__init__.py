"""Stage 1: YAML files to typed models. Safe parsing (yamlfile), the models (the single source of
truth for validation, JSON Schema and field docs), loading with every problem located."""
