#!/usr/bin/env python3
"""Renders Markdown reports with a GitHub-flavoured Markdown renderer (cmark-gfm, the C library
GitHub's own renderer is built on, through the cmarkgfm package) and checks what a pull-request
comment or a CI job summary needs:

- at most 65,536 characters (GitHub's comment limit) for summary files;
- every table renders as a table, and nothing refers to what only the HTML report shows
  (hatching, hover, colours);
- no raw <script>, no unescaped link to anywhere.

    python3 scripts/check_markdown.py reports/summary.md reports/report.md
"""
import re
import sys

import cmarkgfm
from cmarkgfm.cmark import Options

LIMIT = 65536
HTML_ONLY = re.compile(r"hatch|斜線|hover|colou?r scale|色の目盛", re.IGNORECASE)

failed = False
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    html = cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)
    problems = []
    if path.endswith("summary.md") and len(text) > LIMIT:
        problems.append(f"{len(text)} characters, above GitHub's {LIMIT}")
    table_lines = sum(1 for line in text.splitlines() if re.match(r"^\|( ?:?-{3,}:? ?\|)+$", line))
    if html.count("<table>") != table_lines:
        problems.append(f"{table_lines} table delimiter rows but {html.count('<table>')} tables rendered")
    if HTML_ONLY.search(text):
        problems.append(f"refers to something only the HTML report shows: {HTML_ONLY.search(text).group(0)!r}")
    if "<script" in html.lower():
        problems.append("renders a <script> element")
    if problems:
        failed = True
        for p in problems:
            print(f"check_markdown: {path}: {p}", file=sys.stderr)
    else:
        print(f"check_markdown: {path}: {len(text)} characters, {table_lines} tables render in GitHub-flavoured Markdown")
sys.exit(1 if failed else 0)
