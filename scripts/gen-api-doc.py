#!/usr/bin/env python3
"""Generate docs/api.md from the manual-page comments (/*@ ... @*/, /*S ... S*/, /*E, /*J, /*MC) in include/ and src/.

  scripts/gen-api-doc.py          rewrite docs/api.md
  scripts/gen-api-doc.py --check  exit 1 if docs/api.md is not what the sources say (run by ctest)
"""
import pathlib, re, sys

root = pathlib.Path(__file__).resolve().parent.parent
block = re.compile(r"/\*(@C?|S|E|J|MC)\s*\n(.*?)\n\s*(?:@|S|E|J|M)\*/", re.S)
sections = {"interface": "The PetscSnapshot object", "hooks": "DM state and hooks", "storage": "Storage types",
            "include": "Types", "ts": "TS integration"}

def pages():
    out = {}
    for path in sorted(list((root / "include").rglob("*.h")) + list((root / "src").rglob("*.cxx"))):
        rel = path.relative_to(root).parts  # relative: the checkout may itself live under a directory named src
        area = "include" if rel[0] == "include" else rel[1]
        for m in block.finditer(path.read_text()):
            text = m.group(2).strip("\n")
            para = []
            for l in text.strip().splitlines():
                if not l.strip():
                    break
                para.append(l.strip())
            name, _, summary = " ".join(para).partition(" - ")
            out.setdefault(area, []).append((name.strip(), summary.strip(), text, path.relative_to(root)))
    return out

def render():
    lines = ["# petsc-snapshot API reference", "",
             "Generated from the manual-page comments of the sources by `scripts/gen-api-doc.py`; do not edit by hand.", ""]
    allpages = pages()
    order = ["include", "interface", "hooks", "storage", "ts"]
    lines.append("| name | summary |")
    lines.append("|---|---|")
    for area in order:
        for name, summary, _, _ in sorted(allpages.get(area, [])):
            lines.append(f"| [`{name}`](#{name.lower()}) | {summary} |")
    lines.append("")
    for area in order:
        if area not in allpages:
            continue
        lines += [f"## {sections[area]}", ""]
        for name, summary, text, path in sorted(allpages[area]):
            body = "\n".join(l[2:] if l.startswith("  ") else l for l in text.splitlines()[1:]).strip("\n")
            lines += [f"### {name}", "", summary, "", f"Source: `{path}`", "", "```", body, "```", ""]
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
