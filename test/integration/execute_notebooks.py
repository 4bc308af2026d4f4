#!/usr/bin/python3
"""Execute notebooks headlessly through a Jupyter kernel and check them.

usage: execute_notebooks.py [--kernel NAME] [--timeout S]
           [--startup-timeout S] [--out DIR] [--node PATH] PATH...

PATH is a notebook or a folder searched for *.ipynb (checkpoints are
skipped). Each notebook runs in a fresh kernel whose working folder is
the notebook's own, as in Jupyter. A notebook fails when a cell fails
(an error output), a cell runs past the per-cell timeout, the kernel
dies, a stderr stream shows error text, or a SubFace MIME bundle breaks
the display contract (checked by check_bundles.js from the build).

Prints PASS/FAIL per notebook with the reasons, then 'N passed, N
failed'. Exit status: 0 all passed, 1 some failed, 2 bad usage, 3 no
notebooks found.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import (
    CellExecutionError,
    CellTimeoutError,
    DeadKernelError,
)

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKER = os.path.join(
    HERE, "..", "..", "out", "test", "integration", "check_bundles.js"
)
SUBFACE_MIME = re.compile(r"^application/vnd\.subface\.[\w.-]+\+json$")
ERROR_TEXT = re.compile(
    r"\b[A-Z]\w*(Error|Exception)\b|UnhandledPromiseRejection|"
    r"UncaughtException"
)
NO_NOTEBOOKS = 3


def find_notebooks(paths):
    found = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d != ".ipynb_checkpoints")
                found += [os.path.join(root, f) for f in sorted(files)
                          if f.endswith(".ipynb")]
        elif path.endswith(".ipynb"):
            found.append(path)
        else:
            sys.exit("execute_notebooks.py: %s is not a notebook or a "
                     "folder" % path)
    return found


def cell_outputs(nb):
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                yield index, output


def error_outputs(nb):
    problems = []
    for index, output in cell_outputs(nb):
        if output.get("output_type") == "error":
            problems.append("cell %d: %s: %s\n      %s" % (
                index, output.get("ename"), output.get("evalue"),
                "\n      ".join(output.get("traceback", [])[:12])))
        elif (output.get("output_type") == "stream"
              and output.get("name") == "stderr"
              and ERROR_TEXT.search(output.get("text", ""))):
            problems.append("cell %d: error text on stderr: %s" % (
                index, output["text"].strip()[:1500]))
    return problems


def subface_bundles(nb, path):
    bundles = []
    for index, output in cell_outputs(nb):
        data = output.get("data", {})
        for mime, value in data.items():
            if SUBFACE_MIME.match(mime):
                bundles.append({"notebook": path, "cell": index,
                                "mime": mime, "value": value,
                                "mimes": sorted(data)})
    return bundles


def check_bundles(bundles, node):
    """Problems of the bundles from the contract checker (Node), and
    notes about what it could not check."""
    if not bundles:
        return [], []
    if not os.path.exists(CHECKER):
        return ["the bundle checker %s is missing: run npm run build"
                % CHECKER], []
    result = subprocess.run([node, CHECKER, "--check"],
                            input=json.dumps(bundles), capture_output=True,
                            text=True)
    if result.returncode != 0:
        return ["the bundle checker failed: %s" % result.stderr.strip()], []
    report = json.loads(result.stdout)
    return report["problems"], report["notes"]


def run_notebook(path, args):
    nb = nbformat.read(path, as_version=4)
    options = {"kernel_name": args.kernel} if args.kernel else {}
    # interrupt_on_timeout stays False: a cell stuck in a synchronous
    # loop after an await cannot be interrupted, and nbclient would
    # retry forever; on timeout the kernel is killed instead.
    client = NotebookClient(
        nb, timeout=args.timeout, startup_timeout=args.startup_timeout,
        interrupt_on_timeout=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
        **options)
    failure = None
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
        failure = "%s: %s" % (type(e).__name__,
                              str(e).strip().splitlines()[-1][:300])
    problems = error_outputs(nb)
    # A failed cell's error output already says what the exception says.
    if failure and not (problems and failure.startswith("CellExecutionError")):
        problems.insert(0, failure)
    found, notes = check_bundles(subface_bundles(nb, path), args.node)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        nbformat.write(nb, os.path.join(args.out, os.path.basename(path)))
    return problems + found, notes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--kernel", help="kernel name instead of the "
                        "notebook's own")
    parser.add_argument("--timeout", type=int, default=300,
                        help="seconds per cell")
    parser.add_argument("--startup-timeout", type=int, default=120)
    parser.add_argument("--out", help="folder for the executed copies")
    parser.add_argument("--node", default="node",
                        help="node that runs the bundle checker")
    args = parser.parse_args()

    notebooks = find_notebooks(args.paths)
    if not notebooks:
        print("no notebooks found in %s" % " ".join(args.paths))
        sys.exit(NO_NOTEBOOKS)
    failed = 0
    for path in notebooks:
        started = time.time()
        problems, notes = run_notebook(path, args)
        seconds = time.time() - started
        # The kernel (Node) shared our stdout and made it non-blocking;
        # a full pipe would then drop our report.
        os.set_blocking(sys.stdout.fileno(), True)
        failed += bool(problems)
        print("%s %s (%.1fs)" % ("FAIL" if problems else "PASS", path, seconds))
        for problem in problems:
            print("  - " + problem)
        for note in notes:
            print("  note: " + note)
        sys.stdout.flush()
    print("%d passed, %d failed" % (len(notebooks) - failed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
