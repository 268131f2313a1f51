"""The manual-page comments of the sources (/*@ ... @*/, /*S ... S*/, /*E, /*J, /*MC), parsed once for the generators
scripts/gen-api-doc.py (docs/api.md) and scripts/gen-man-html.py (the installed HTML manual pages)."""
import pathlib, re

root = pathlib.Path(__file__).resolve().parent.parent
block = re.compile(r"/\*(@C?|S|E|J|MC)\s*\n(.*?)\n\s*(?:@|S|E|J|M)\*/", re.S)
sections = {"interface": "The PetscSnapshot object", "hooks": "DM state and hooks", "storage": "Storage types",
            "include": "Types", "ts": "TS integration"}
order = ["include", "interface", "hooks", "storage", "ts"]


def pages(top=root):
    """{area: [(name, summary, text, path relative to top)]} for include/*.h and src/**/*.cxx under top."""
    out = {}
    for path in sorted(list((top / "include").rglob("*.h")) + list((top / "src").rglob("*.cxx"))):
        rel = path.relative_to(top).parts  # relative: the checkout may itself live under a directory named src
        area = "include" if rel[0] == "include" else rel[1]
        for m in block.finditer(path.read_text()):
            text = m.group(2).strip("\n")
            para = []
            for l in text.strip().splitlines():
                if not l.strip():
                    break
                para.append(l.strip())
            name, _, summary = " ".join(para).partition(" - ")
            out.setdefault(area, []).append((name.strip(), summary.strip(), text, path.relative_to(top)))
    return out


def body(text):
    """The page without its summary line, unindented by the comment's two spaces."""
    return "\n".join(l[2:] if l.startswith("  ") else l for l in text.splitlines()[1:]).strip("\n")
