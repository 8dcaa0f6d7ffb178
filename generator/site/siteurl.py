"""The site's address as print documents encode it (the handouts' QR codes), and whether it is real.

A printed handout cannot be corrected: a QR code that encodes the starter's `https://example.org/`
sends every parent who scans it to a dead address. Hosts reserved for examples and tests
(RFC 2606, RFC 6761) are placeholders; a station sets its own address in `mkdocs.yml`
(`site_url`) or, as both CI workflows do, in the environment variable HUXIAO_SITE_URL.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

ENV = "HUXIAO_SITE_URL"
_RESERVED_NAMES = {"example.org", "example.com", "example.net", "localhost"}
_RESERVED_SUFFIXES = (".example", ".test", ".invalid", ".localhost", ".example.org", ".example.com", ".example.net")


def placeholder_host(site_url: str | None) -> str | None:
    """The host of `site_url` when it is a placeholder (an example or test host), else None."""
    if not site_url:
        return None
    host = (urlsplit(site_url).hostname or "").lower().rstrip(".")
    if not host or host in _RESERVED_NAMES or host.endswith(_RESERVED_SUFFIXES) or host.startswith("127."):
        return host or site_url
    return None


def placeholder_warning(site_url: str | None) -> str | None:
    """The warning for a build or `huxiao pdf` whose QR codes would encode a placeholder host."""
    host = placeholder_host(site_url)
    if host is None:
        return None
    return (f"site_url 是占位地址（{site_url}，主机 {host}）：讲义上的二维码会指向一个打不开的网址。"
            f"请在 mkdocs.yml 中把 site_url 改为本站的真实地址，或设置环境变量 {ENV}（见 README）")


def from_config(config_file: Path) -> str | None:
    """`site_url` of an mkdocs.yml, read as MkDocs reads it (including `!ENV [VAR, default]`),
    without loading the whole configuration and its plugins."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    def env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> str | None:
        if isinstance(node, yaml.ScalarNode):
            names, default = [loader.construct_scalar(node)], None
        else:
            assert isinstance(node, yaml.SequenceNode)
            items = [loader.construct_scalar(item) for item in node.value if isinstance(item, yaml.ScalarNode)]
            names, default = items[:-1], items[-1] if items else None
        for name in names:
            if str(name) in os.environ:
                return os.environ[str(name)]
        return str(default) if default is not None else None

    _Loader.add_constructor("!ENV", env_tag)
    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # other tags: not needed here
    if not config_file.is_file():
        return None
    for line in config_file.read_text(encoding="utf-8").splitlines():
        if line.startswith("site_url:"):
            value = yaml.load(line.split(":", 1)[1], Loader=_Loader)  # noqa: S506 (a SafeLoader)
            return str(value) if value else None
    return None
