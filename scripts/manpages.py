"""The manual-page comments of the sources (/*@ ... @*/, /*S ... S*/, /*E, /*J, /*MC), parsed once for the generators
scripts/gen-api-doc.py (docs/api.md) and scripts/gen-man-html.py (the installed HTML manual pages).

pages() gives each page's name, summary, raw text, source, header and synopsis; fields() splits a page's text into
PETSc's doctext sections (collectivity, parameter lists, notes with code blocks, level, see also)."""
import collections, pathlib, re

root = pathlib.Path(__file__).resolve().parent.parent
block = re.compile(r"/\*(@C?|S|E|J|MC)\s*\n(.*?)\n\s*(?:@|S|E|J|M)\*/", re.S)
sections = {"interface": "The PetscSnapshot object", "hooks": "DM state and hooks", "storage": "Storage types",
            "include": "Types", "ts": "TS integration"}
order = ["include", "interface", "hooks", "storage", "ts"]
# headings of PETSc's doctext; "Level" carries its value on the same line
headings = ("Input Parameter", "Input Parameters", "Output Parameter", "Output Parameters", "Options Database Key",
            "Options Database Keys", "Calling Sequence", "Fields", "Notes", "Note", "Developer Notes", "Developer Note",
            "Example Usage", "Level")
collective = re.compile(r"(Not |Logically |Neighbor-wise )?Collective\b")
Page = collections.namedtuple("Page", "name summary text path kind header synopsis")


def pages(top=root):
    """{area: [Page]} for include/*.h and src/**/*.cxx under top."""
    out = {}
    headers = {h: h.read_text() for h in sorted((top / "include").rglob("*.h"))}
    for path in list(headers) + sorted((top / "src").rglob("*.cxx")):
        rel = path.relative_to(top).parts  # relative: the checkout may itself live under a directory named src
        area = "include" if rel[0] == "include" else rel[1]
        source = headers.get(path) or path.read_text()
        for m in block.finditer(source):
            text = m.group(2).strip("\n")
            name, _, summary = " ".join(summary_lines(text)).partition(" - ")
            name = name.strip()
            header = next((h.relative_to(top / "include") for h, t in headers.items() if declares(t, name)), None)
            synopsis = declaration(source[m.end():], name)
            if not synopsis and header:  # a type's manual page may sit in a source file beside its implementation
                synopsis = re.search(rf"^#define {name}\b.*$", headers[top / "include" / header], re.M)
                synopsis = synopsis.group(0) if synopsis else ""
            out.setdefault(area, []).append(Page(name, summary.strip(), text, path.relative_to(top), m.group(1),
                                                 header, synopsis))
    return out


def summary_lines(text):
    """The first paragraph of a page: its name, " - " and the one-line summary (which may wrap)."""
    lines = []
    for l in text.strip().splitlines():
        if not l.strip():
            break
        lines.append(l.strip())
    return lines


def declares(header_text, name):
    """Whether a public header declares name (a function, typedef or #define)."""
    return re.search(rf"^(PETSC_EXTERN .*\b{name}\(|typedef .*\b{name}\b|#define {name}\b|}} {name};)", header_text,
                     re.M) is not None


def declaration(code, name):
    """The C declaration of name at the start of code (a function definition's head with ";", a typedef or
    #define), or "" when the code there declares something else."""
    code = code.lstrip()
    if code.startswith("#define"):
        line = code.splitlines()[0]
        return line if re.match(rf"#define {name}\b", line) else ""
    if code.startswith("typedef"):
        depth = 0
        for i, c in enumerate(code):
            depth += (c in "({") - (c in ")}")
            if c == ";" and depth == 0:
                decl = code[:i + 1]
                return decl if re.search(rf"\b{name}\b", decl) else ""
        return ""
    head = code.split("{", 1)[0]
    if not re.match(rf"[\w\s\*]*\b{name}\(", head) or head.startswith(("static", "PETSC_INTERN")):
        return ""
    return " ".join(head.split()) + ";"


def body(text):
    """The page without its summary paragraph, unindented by the summary's indentation."""
    lines = text.splitlines()
    indent = len(lines[0]) - len(lines[0].lstrip())
    rest = lines[len(summary_lines(text)):]
    return "\n".join(l[indent:] if l[:indent].isspace() else l for l in rest).strip("\n")


def fields(text):
    """{"collective": str, "level": str, "seealso": [name], "sections": [(heading, [element])]} for a page's text,
    where an element is ("p", text), ("pre", text) or ("params", [(name, description)]); text before the first
    heading is under the heading ""."""
    out = {"collective": "", "level": "", "seealso": [], "sections": [("", [])]}
    lines = body(text).splitlines() + [""]
    para, i = [], 0

    def elements():
        return out["sections"][-1][1]

    def flush():
        if para:
            joined = " ".join(para)
            if not out["collective"] and collective.match(joined) and out["sections"][-1][0] == "":
                out["collective"] = joined
            else:
                elements().append(("p", joined))
            para.clear()

    while i < len(lines):
        line, stripped = lines[i], lines[i].strip()
        heading = re.match(r"([A-Z][A-Za-z ]*?)( \(.*\))?:(.*)$", stripped)
        i += 1
        if heading and heading.group(1) in headings:
            flush()
            if heading.group(1) == "Level":
                out["level"] = heading.group(3).strip()
            else:  # a qualifier, "Output Parameters (each may be NULL):", is the section's first paragraph
                qualifier = [("p", heading.group(2).strip())] if heading.group(2) else []
                out["sections"].append((heading.group(1), qualifier))
        elif stripped.startswith(".seealso:"):
            flush()
            rest = " ".join([stripped[len(".seealso:"):]] + [l.strip() for l in lines[i:]])
            out["seealso"] = [s.strip().strip("`") for s in rest.split(",") if s.strip()]
            break
        elif stripped == ".vb":
            flush()
            code = []
            while i < len(lines) and lines[i].strip() != ".ve":
                code.append(lines[i])
                i += 1
            i += 1
            indent = min((len(l) - len(l.lstrip()) for l in code if l.strip()), default=0)
            elements().append(("pre", "\n".join(l[indent:] for l in code)))
        elif stripped.startswith("$"):
            flush()
            elements().append(("pre", stripped[1:].strip()))
        elif re.match(r"[+.-]\s", stripped) and not para:
            name, _, desc = stripped[1:].strip().partition(" - ")
            if not elements() or elements()[-1][0] != "params":
                elements().append(("params", []))
            elements()[-1][1].append((name.strip(), desc.strip()))
        elif stripped and elements() and elements()[-1][0] == "params" and not para and lines[i - 2].strip():
            name, desc = elements()[-1][1][-1]  # continuation of the last parameter's description
            elements()[-1][1][-1] = (name, f"{desc} {stripped}")
        elif stripped:
            para.append(stripped)
        else:
            flush()
    flush()
    return out
