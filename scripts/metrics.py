"""The house's size and shape, as docs/architecture.md reports them: `python3 scripts/metrics.py [-v]`.

- Python lines under src/shegong outside tests and migrations (every line, as `wc -l` counts them);
- imports placed inside functions (`-v` lists them), and how many of them state no reason. A reason is stated
  by a comment on the import's line or the line above it (``# cycle: ...``, ``# lazy: ...``), once for a whole
  module by a line ``# imports inside functions: <reason>`` (the bench and demo tools, which import what they
  measure or load only when it runs), or by the place itself: an ``AppConfig.ready()`` (Django's app registry
  must be loaded first);
- the longest functions (from the syntax tree), outside demo and scale data;
- pairs of places sharing six or more lines outside migrations, by the `duplicates` command when it is
  installed (tracked files only, copied without migrations to a temporary folder).
"""

import ast
import pathlib
import shutil
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parent.parent
ROOT = REPO / "src" / "shegong"
NOT_COUNTED = {"conftest.py", "testing.py", "settings_test.py"}


def counted(path):
    parts = path.relative_to(ROOT).parts
    if "migrations" in parts or "tests" in parts:
        return False
    return not (path.name.startswith("test_") or path.name in NOT_COUNTED)


REASONS = ("# cycle", "# lazy", "# reason", "noqa: PLC0415 (")
MODULE_REASON = "# imports inside functions:"


def walk(node, where, in_function, imports, functions):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            functions.append((child.end_lineno - child.lineno + 1, f"{where}:{child.lineno} {child.name}"))
            walk(child, where, child.name if in_function is False else in_function, imports, functions)
        elif isinstance(child, ast.Import | ast.ImportFrom):
            if in_function:
                imports.append((f"{where}:{child.lineno}", in_function))
        else:
            walk(child, where, in_function, imports, functions)


def stated(where: str, function: str, lines: list[str]) -> bool:
    """Whether an import inside a function says why it is there (see the module's docstring)."""
    number = int(where.rsplit(":", 1)[1])
    near = lines[number - 1] + (lines[number - 2] if number > 1 else "")
    return (
        function == "ready"
        or any(reason in near for reason in REASONS)
        or any(line.startswith(MODULE_REASON) for line in lines)
    )


def duplicates():
    if not shutil.which("duplicates"):
        return "duplicates: command not installed"
    listed = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "src/shegong"], capture_output=True, text=True
    )
    with tempfile.TemporaryDirectory() as tmp:
        for name in listed.stdout.split():
            source = REPO / name
            if "/migrations/" in name or not source.is_file():
                continue
            target = pathlib.Path(tmp) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
        run = ["duplicates", "--repo", tmp, "--most", "12", "--seconds", "300"]
        out = subprocess.run(run, capture_output=True, text=True).stdout
        return out.replace(tmp + "/", "")


def main():
    lines, imports, functions, unstated = 0, [], [], []
    for path in sorted(ROOT.rglob("*.py")):
        if not counted(path):
            continue
        text = path.read_text()
        lines += text.count("\n")
        found = []
        walk(ast.parse(text), path.relative_to(REPO), False, found, functions)
        imports += found
        source = text.splitlines()
        unstated += [where for where, function in found if not stated(where, function, source)]
    print(f"python lines outside tests and migrations: {lines}")
    print(f"imports inside functions: {len(imports)}, {len(unstated)} of them without a stated reason")
    if "-v" in sys.argv:
        print("\n".join(f"  {where}" for where in unstated))
    print("longest functions outside demo and scale data:")
    functions.sort(reverse=True)
    shown = [f for f in functions if "/demo" not in f[1] and "/scale/" not in f[1]]
    for length, where in shown[:6]:
        print(f"  {length:4d}  {where}")
    print("pairs sharing six or more lines outside migrations:")
    print(duplicates())


if __name__ == "__main__":
    main()
