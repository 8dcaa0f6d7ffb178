"""Huxiao: YAML lesson plans, school profiles and term records in, an age-tiered site out.

The folders follow the pipeline, each stage using only those before it:

    source/      YAML files -> typed, validated models (the one schema)
    laws, curriculum, schools, records, plans
                 each part cross-checked against the parts before it
    stationdata  the whole, checked as one: `load()` from a project folder to `StationData`
    schedule/    the term's demands, the planner, compliance
    reports/     figures made from the station's data: statistics, the 一校一表 checklist, the term report
    site/        station data -> pages and print documents (knows nothing of MkDocs)
    office/      the term report as Word
    printing/    print documents -> checked PDFs
    engine/      the adapter to MkDocs or ProperDocs (the `huxiao` plugin)
    tools/       export, offline bundle, benchmark
    cli          the `huxiao` command

and beside them `speed/`: caches, a forked renderer, a fast sidebar and the like, switched on by
the engine adapter and the commands; switched off, every output is the same.
"""
