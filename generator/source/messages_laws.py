"""The catalogue's part about laws: laws/ files, 「」 quotations of them, `huxiao migrate-sources`.

Kept apart only so messages.py stays small; messages.py merges it into MESSAGES, the one catalogue
(each key: its Chinese and its English template).
"""

from __future__ import annotations

LAW_MESSAGES: dict[str, tuple[str, str]] = {
    "source_article_needs_law": ("article 只能和 law 一起用", "article goes with law"),
    "law.verified_needs_text": ("verified 的条款要有 text（原文）；没见过原文就写 second-hand",
                                "a verified article needs its text; without it, say second-hand"),
    "law.article_twice": ("条款 {article} 写了两次", "article {article} is listed twice"),
    "law.unknown": ("laws/ 中没有法规“{law}”{hint}", "no law '{law}' in laws/{hint}"),
    "law.superseded": ("{title}这一版已被 {new} 取代，请改为引用 law: {new}（并核对条号）",
                       "this version of {title} is superseded by {new}: cite law: {new} (and check the article)"),
    "law.superseded_unknown": ("superseded_by 写的“{new}”在 laws/ 中不存在", "superseded_by names '{new}', which is not in laws/"),
    "law.article_unknown": ("{title}没有存{label}（article: {article}；laws/{law}.yml 已存：{known}）；先把这一条加进去再引用",
                            "{title} has no stored {label} (article: {article}; laws/{law}.yml has: {known}); add it first"),
    "law.quote_untied": ("「」只用来照录法条，紧跟（或紧接在前面）要有引用法规的 [^来源]：{quote}",
                         "「」 quotes a law and must be next to a citation [^source] of a law: {quote}"),
    "law.quote_not_law": ("「」照录的是法条，但 [^{source}] 不是 laws/ 中的法规（来源没有 law:）",
                          "「」 quotes a law, but [^{source}] does not cite one (no law:)"),
    "law.quote_no_article": ("[^{source}] 没写 article：照录条文要写明是哪一条", "[^{source}] gives no article: a quotation needs one"),
    "law.quote_second_hand": ("{title}{label}（{article}）只见过转述（second-hand），不能加「」照录；请改成转述",
                              "{label} ({article}) of {title} was seen only second-hand: paraphrase it, do not quote"),
    "law.quote_differs": ("「{quote}」与{title}{label}（{article}）的存档原文不一致（从“{part}”起对不上）；请照录原文或改为转述",
                          "「{quote}」 differs from the stored text of {label} ({article}) of {title} (from '{part}'): "
                          "quote verbatim or paraphrase"),
    "law.quote_curly": ("“{quote}”紧跟在条号后面，像是照录的法条：照录请改用「」并紧挨引用法规的 [^来源]，"
                        "validate 才能核对原文是否一字不差；不是原文就去掉引号，改为转述",
                        "“{quote}” right after an article number reads as a quotation of the law: write it in 「」 next to "
                        "the law's citation [^source] so the words can be checked, or paraphrase without quotation marks"),
    "cli.source_migrated": ("{file}：来源 {source} → law: {law}，article: {article}",
                            "{file}: source {source} -> law: {law}, article: {article}"),
    "cli.article_unstored": ("{file}：来源 {source} 写的是 {detail}，laws/{law}.yml 还没存这一条：先把条款加进去再运行一次",
                             "{file}: source {source} says {detail}; laws/{law}.yml does not store that article yet: "
                             "add it, then run again"),
    "cli.sources_migrated": ("{dry}{sources} 条来源改为引用 laws/，涉及 {files} 个文件。请运行 huxiao validate。",
                             "{dry}{sources} sources now cite laws/, in {files} files. Run huxiao validate."),
}
