"""JSON Schema files for editors, generated from the models."""

from __future__ import annotations

import json
from pathlib import Path

from .laws import Law
from .models import MODELS_BY_KIND as LESSON_MODELS
from .models import Strict
from .plans import Plan, Rules
from .records import SchoolRecord, Term
from .schools import MODELS_BY_KIND as SCHOOL_MODELS
from .station import Station
from .synonyms import Synonyms

MODELS_BY_KIND: dict[str, type[Strict]] = {**LESSON_MODELS, **SCHOOL_MODELS, "record": SchoolRecord, "term": Term, "plan": Plan, "rules": Rules,
                                           "synonyms": Synonyms, "law": Law, "station": Station}


def schema_for(kind: str) -> dict:
    model = MODELS_BY_KIND[kind]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"{kind}.schema.json"
    return schema


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in MODELS_BY_KIND:
        path = out / f"{kind}.schema.json"
        path.write_text(json.dumps(schema_for(kind), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
