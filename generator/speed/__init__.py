"""The speed layer, beside the pipeline: nothing below it knows it exists.

caches (the one object a build is handed: parse cache, page cache, in-memory memos), pagefork
(half the pages rendered on a second core), printjob (print documents written by a helper
process), sitenav (Material's sidebar drawn faster), gcpause (the cycle collector paused).
Switch it off (plugin option `speed: false`) and the site is the same byte for byte.
"""
