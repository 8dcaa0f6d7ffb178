"""Chinese search on the built site: the curriculum's words for jieba, and a smaller index file.

- `use_search_words`: Material's search plugin cuts Chinese text with jieba and takes a user
  dictionary (`jieba_dict_user`). It reads that option in its `on_config`, which runs before
  Huxiao's (mkdocs.yml lists `search` first) and so before the data is loaded; Huxiao writes
  the dictionary from the data (`site/searchwords.py`) into the system's temporary folder
  (the project's `.cache/` is the speed layer's, and `speed: false` writes none), points the
  option at it and loads it into jieba the way the search plugin does. A dictionary the project
  names itself in mkdocs.yml was loaded by the search plugin already and stays in force.
- `compact_index` also hands the search synonyms (lessons/_synonyms.yml) to the browser: Material
  passes the index's `config` on to the search worker, so they travel as `config.huxiao_synonyms`.
- `compact_index`: Material writes `search/search_index.json` with every Chinese character as a
  `\\uXXXX` escape (6 bytes where UTF-8 takes 3); written again as UTF-8 it is half the size, and
  the same index to the browser.
- The browser side, where the query is cut into the index's words, is
  `theme/assets/javascripts/workers/huxiao-search.js`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from ..site.searchwords import search_words, user_dictionary
from ..stationdata import StationData

# The words given to jieba in this process (see use_search_words).
_LOADED: set[str] = set()


def dictionary_file(text: str) -> Path:
    """Where a user dictionary of this text is written: named by its content, so builds of
    different projects at the same time never write over each other's."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / "huxiao" / f"search-words-{digest}.txt"


def search_plugin(config: MkDocsConfig):  # noqa: ANN201 (Material's SearchPlugin, or None)
    for name in ("search", "material/search"):
        plugin = config.plugins.get(name)
        if plugin is not None and plugin.config.get("enabled", True):
            return plugin
    return None


def use_search_words(c: StationData, config: MkDocsConfig, log: logging.Logger) -> Path | None:
    """Write the curriculum's words as a jieba user dictionary and give them to the search plugin."""
    search = search_plugin(config)
    if search is None:
        return None
    text = user_dictionary(search_words(c))
    path = dictionary_file(text)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)  # whole or not at all, should two builds write it at once
    if not search.config.get("jieba_dict_user"):
        search.config["jieba_dict_user"] = str(path)
    try:
        import jieba
    except ImportError:  # the search plugin then indexes Chinese unsegmented
        return None
    jieba.setLogLevel(logging.WARNING)  # not "Building prefix dict…" in English on every build
    # Each word once a process: jieba weighs a word it is given against the words it has, so a
    # second load would weigh them anew and cut the next build's text (a `serve` rebuild, a
    # second build in the same process) differently from the first.
    words = text.split()
    fresh = [word for word in words if word not in _LOADED]
    if len(fresh) == len(words):
        jieba.load_userdict(str(path))
    else:
        for word in fresh:
            jieba.add_word(word)
    _LOADED.update(fresh)
    log.debug(f"huxiao: {len(fresh)} of {len(words)} data words newly given to jieba ({path})")
    return path


SYNONYMS_KEY = "huxiao_synonyms"


def compact_index(site_dir: Path, synonyms: list[list[str]] | None = None) -> tuple[int, int] | None:
    """Rewrite the search index as UTF-8 rather than ASCII escapes, with the search synonyms in
    its config; (bytes before, bytes after)."""
    path = site_dir / "search" / "search_index.json"
    if not path.is_file():
        return None
    raw = path.read_bytes()
    data = json.loads(raw)
    if synonyms and isinstance(data.get("config"), dict):
        data["config"][SYNONYMS_KEY] = synonyms
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    encoded = text.encode("utf-8")
    path.write_bytes(encoded)
    return len(raw), len(encoded)
