"""The house's size and shape, as docs/architecture.md reports them: `python3 scripts/metrics.py [-v]`.

- Python lines under src/shegong outside tests and migrations (every line, as `wc -l` counts them);
- imports placed inside functions (`-v` lists them);
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


def walk(node, where, in_function, imports, functions):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            functions.append((child.end_lineno - child.lineno + 1, f"{where}:{child.lineno} {child.name}"))
            walk(child, where, True, imports, functions)
        elif isinstance(child, ast.Import | ast.ImportFrom):
            if in_function:
                imports.append(f"{where}:{child.lineno}")
        else:
            walk(child, where, in_function, imports, functions)


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
    lines, imports, functions = 0, [], []
    for path in sorted(ROOT.rglob("*.py")):
        if not counted(path):
            continue
        text = path.read_text()
        lines += text.count("\n")
        walk(ast.parse(text), path.relative_to(REPO), False, imports, functions)
    print(f"python lines outside tests and migrations: {lines}")
    print(f"imports inside functions: {len(imports)}")
    if "-v" in sys.argv:
        print("\n".join(f"  {where}" for where in imports))
    print("longest functions outside demo and scale data:")
    functions.sort(reverse=True)
    shown = [f for f in functions if "/demo" not in f[1] and "/scale/" not in f[1]]
    for length, where in shown[:6]:
        print(f"  {length:4d}  {where}")
    print("pairs sharing six or more lines outside migrations:")
    print(duplicates())


if __name__ == "__main__":
    main()
