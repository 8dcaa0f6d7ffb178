"""Huxiao: YAML lesson plans, school profiles and term records in, an age-tiered site out.

The folders follow the pipeline, each stage using only those before it:

    source/      YAML files -> typed, validated models (the one schema)
    curriculum   the models cross-checked and indexed
    reports/     figures made from the curriculum: statistics, the 一校一表 checklist
    site/        curriculum -> pages and print documents (knows nothing of MkDocs)
    printing/    print documents -> checked PDFs
    engine/      the adapter to MkDocs or ProperDocs (the `huxiao` plugin)
    tools/       export, offline bundle, benchmark
    cli          the `huxiao` command

and beside them `speed/`: caches, a forked renderer, a fast sidebar and the like, switched on by
the engine adapter and the commands; switched off, every output is the same.
"""
