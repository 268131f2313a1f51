#!/usr/bin/env python3
"""Generate docs/api.md from the manual-page comments (/*@ ... @*/, /*S ... S*/, /*E, /*J, /*MC) in include/ and src/.

  scripts/gen-api-doc.py          rewrite docs/api.md
  scripts/gen-api-doc.py --check  exit 1 if docs/api.md is not what the sources say (run by ctest)
"""
import sys
from manpages import root, pages, sections, order, body


def render():
    lines = ["# petsc-snapshot API reference", "",
             "Generated from the manual-page comments of the sources by `scripts/gen-api-doc.py`; do not edit by hand.", ""]
    allpages = pages()
    lines.append("| name | summary |")
    lines.append("|---|---|")
    for area in order:
        for page in sorted(allpages.get(area, [])):
            lines.append(f"| [`{page.name}`](#{page.name.lower()}) | {page.summary} |")
    lines.append("")
    for area in order:
        if area not in allpages:
            continue
        lines += [f"## {sections[area]}", ""]
        for page in sorted(allpages[area]):
            lines += [f"### {page.name}", "", page.summary, "", f"Source: `{page.path}`", "",
                      "```c", f"#include <{page.header}>", page.synopsis, "```", "", "```", body(page.text), "```", ""]
    return "\n".join(lines)


target = root / "docs" / "api.md"
text = render()
if "--check" in sys.argv:
    current = target.read_text() if target.exists() else ""
    if current != text:
        print("FAIL: docs/api.md is out of date: run scripts/gen-api-doc.py")
        sys.exit(1)
    print("ok: docs/api.md matches the manual pages\n1 passed, 0 failed")
else:
    target.write_text(text)
