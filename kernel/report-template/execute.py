"""Executes one notebook through a Jupyter kernel (nbclient) and exports it to HTML (nbconvert), for `gradlab report`.

    python3 execute.py --notebook NB.ipynb --html OUT.html [--kernel gradlab] [--timeout 600]
                       [--startup-timeout 120] [--no-input] [--version V]

Reports on stdout, one JSON object per line:
    {"event": "kernel", "startup_s": ...}                          the kernel answered kernel_info
    {"event": "cell", "index": i, "number": k, "total": n}         cell k of n (1-based, all cells) starts
    {"event": "done", "status": "ok" | "failed" | "interrupted", "title": ..., "elapsed_s": ...,
     "failure": {"index", "number", "total", "execution_count", "source", "ename", "evalue", "traceback"} | null}
The HTML is written even when a cell fails: the cells up to the failing one with their outputs, a banner at the top,
and the later cells unexecuted (all saved outputs are cleared first). Exit status 0 whenever "done" was printed.

The kernel is always shut down: after the last cell, on a failure, on SIGINT/SIGTERM, and when standard input
closes (the parent `gradlab report` process died).
"""
import argparse
import asyncio
import datetime
import html as html_lib
import json
import math
import os
import re
import signal
import sys
import threading
import time

os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError  # noqa: E402
from nbclient.util import ensure_async  # noqa: E402

TEMPLATE_DIR = os.path.dirname(os.path.abspath(__file__))
TEMPLATE_NAME = "gradlab-report"


def emit(obj):
    sys.stdout.write(json.dumps(obj, default=str) + "\n")
    sys.stdout.flush()


def plain_heading(text):
    """A Markdown heading's text without inline markup."""
    text = re.sub(r"\s+#+\s*$", "", text.strip())  # closing #s
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    text = re.sub(r"(\*\*|__|\*|_|`)(.+?)\1", r"\2", text)  # emphasis, code
    return re.sub(r"\s+", " ", text).strip()


def notebook_title(nb, fallback):
    """The first Markdown heading (ATX `# ...` or setext), else metadata.title, else `fallback`."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.splitlines()
        in_fence = False
        for i, line in enumerate(lines):
            if re.match(r"^\s*(```|~~~)", line):
                in_fence = not in_fence
                continue
            if in_fence:
                continue
            m = re.match(r"^\s{0,3}#{1,6}\s+(.+)$", line)
            if m and plain_heading(m.group(1)):
                return plain_heading(m.group(1))
            if i + 1 < len(lines) and line.strip() and re.match(r"^\s{0,3}(=+|-+)\s*$", lines[i + 1]):
                return plain_heading(line)
            m = re.search(r"<h[1-6][^>]*>(.*?)</h[1-6]>", line, re.I)
            if m and plain_heading(m.group(1)):
                return plain_heading(m.group(1))
    return nb.metadata.get("title") or fallback


def failure_of(cell, index, total, reply):
    err = next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)
    content = (reply or {}).get("content", {}) if reply else {}
    src = err or content
    return {
        "index": index,
        "number": index + 1,
        "total": total,
        "execution_count": cell.get("execution_count"),
        "source": cell.source,
        "ename": src.get("ename") or "Error",
        "evalue": src.get("evalue") or "",
        "traceback": list(src.get("traceback") or []),
    }


class ReportClient(NotebookClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.last_reply = None
        self.on_cell_executed = self._on_executed

    def _on_executed(self, cell=None, cell_index=None, execute_reply=None, **_):
        self.last_reply = execute_reply


async def execute(nb, args, cwd):
    """Runs the code cells in order and stops at the first failing one; returns (status, failure)."""
    client = ReportClient(
        nb,
        kernel_name=args.kernel,
        timeout=int(math.ceil(args.timeout)) if args.timeout > 0 else None,
        startup_timeout=int(math.ceil(args.startup_timeout)),
        # nbclient's default waits only 4 s for a cell's outputs after its reply and then drops them silently
        iopub_timeout=60,
        raise_on_iopub_timeout=True,
        allow_errors=False,
        record_timing=True,
        resources={"metadata": {"path": cwd}},
    )
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()
    stopped = {"why": None}

    def stop(why):
        if stopped["why"] is None:
            stopped["why"] = why
            main.cancel()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop, sig.name)

    def watch_stdin():
        # The parent keeps our standard input open; end of input means it is gone.
        # os.read on the descriptor: a daemon thread blocked in sys.stdin's buffered reader would hold its lock
        # at interpreter shutdown (a fatal error).
        try:
            while os.read(0, 65536):
                pass
        except OSError:
            pass
        loop.call_soon_threadsafe(stop, "parent exited")

    if args.watch_stdin:
        threading.Thread(target=watch_stdin, daemon=True).start()

    total = len(nb.cells)
    status, failure = "ok", None
    t0 = time.time()
    client.km = client.create_kernel_manager()
    try:
        await client.async_start_new_kernel(cwd=cwd)
        await client.async_start_new_kernel_client()
        msg_id = await ensure_async(client.kc.kernel_info())
        info = await client.async_wait_for_reply(msg_id)
        if info is not None and "language_info" in info["content"]:
            nb.metadata["language_info"] = info["content"]["language_info"]
        emit({"event": "kernel", "startup_s": round(time.time() - t0, 2)})
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            emit({"event": "cell", "index": index, "number": index + 1, "total": total})
            client.last_reply = None
            try:
                await client.async_execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
            except CellExecutionError:
                status, failure = "failed", failure_of(cell, index, total, client.last_reply)
            except CellTimeoutError as e:
                status, failure = "failed", failure_of(cell, index, total, None)
                failure.update(ename="CellTimeoutError", evalue=f"the cell did not finish within {args.timeout:g} s", traceback=[str(e)])
            except DeadKernelError as e:
                if stopped["why"]:
                    raise asyncio.CancelledError() from e
                status, failure = "failed", failure_of(cell, index, total, None)
                failure.update(ename="DeadKernelError", evalue="the kernel died while running this cell", traceback=[str(e)])
            if failure:
                break
    except asyncio.CancelledError:
        status = "interrupted"
        failure = {"index": -1, "number": 0, "total": total, "execution_count": None, "source": "",
                   "ename": "Interrupted", "evalue": f"stopped ({stopped['why'] or 'cancelled'})", "traceback": []}
    finally:
        try:
            await asyncio.wait_for(client._async_cleanup_kernel(), 30)
        except BaseException as e:  # noqa: BLE001 (best effort; say so)
            sys.stderr.write(f"[gradlab report] kernel shutdown: {type(e).__name__}: {e}\n")
            try:
                if client.km is not None:
                    await ensure_async(client.km.shutdown_kernel(now=True))
            except BaseException:
                pass
    return status, failure


# ---- formulas: TeX in Markdown cells → MathML (pandoc), which browsers draw natively; no MathJax, nothing to load --

MARKDOWN_DIV = re.compile(r'<div class="[^"]*\bjp-RenderedMarkdown\b[^"]*"[^>]*>')
MATH = re.compile(
    r"\$\$(?P<dd>.+?)\$\$"
    r"|\\\[(?P<db>.+?)\\\]"
    r"|(?P<env>\\begin\{(?P<name>equation\*?|align\*?|gather\*?|multline\*?|eqnarray\*?)\}.+?\\end\{(?P=name)\})"
    r"|\\\((?P<ip>.+?)\\\)"
    r"|(?<![\\$\w])\$(?![\s$])(?P<id>(?:\\.|[^$\\])+?)(?<!\s)\$(?!\d)",
    re.S,
)
SKIP_TAGS = ("code", "pre", "script", "style", "textarea", "math", "svg")


def markdown_regions(html):
    """(start, end) of the content of each rendered Markdown cell (nested <div>s counted)."""
    for m in MARKDOWN_DIV.finditer(html):
        depth, i = 1, m.end()
        for t in re.finditer(r"<(/?)div\b[^>]*>", html[i:]):
            depth += -1 if t.group(1) else 1
            if depth == 0:
                yield (i, i + t.start())
                break


def find_math(html):
    """[(start, end, tex, display)] of the formulas in Markdown text (not in code, pre, ...)."""
    found = []
    for start, end in markdown_regions(html):
        skip = 0
        pos = start
        for t in list(re.finditer(r"<(/?)([a-zA-Z][\w-]*)[^>]*>", html[start:end])) + [None]:
            text_end = start + t.start() if t else end
            if skip == 0 and text_end > pos:
                for m in MATH.finditer(html, pos, text_end):
                    tex = m.group("dd") or m.group("db") or m.group("env") or m.group("ip") or m.group("id")
                    display = m.group("id") is None and m.group("ip") is None
                    found.append((m.start(), m.end(), html_lib.unescape(tex).strip(), display))
            if t is None:
                break
            if t.group(2).lower() in SKIP_TAGS:
                skip = max(0, skip + (-1 if t.group(1) else 1)) if not t.group(0).endswith("/>") else skip
            pos = start + t.end()
    return found


def typeset_math(html):
    """Replaces TeX formulas of Markdown cells by MathML (one pandoc call); without pandoc, leaves them as they are."""
    import shutil
    import subprocess

    pandoc = shutil.which("pandoc")
    spans = find_math(html)
    if not pandoc or not spans:
        return html, 0
    try:
        api = json.loads(subprocess.run([pandoc, "-f", "markdown", "-t", "json"], input="", capture_output=True, text=True, timeout=30, check=True).stdout)["pandoc-api-version"]
        blocks = []
        for _, _, tex, display in spans:
            blocks.append({"t": "Para", "c": [{"t": "Math", "c": [{"t": "DisplayMath" if display else "InlineMath"}, tex]}]})
            blocks.append({"t": "HorizontalRule"})
        doc = json.dumps({"pandoc-api-version": api, "meta": {}, "blocks": blocks})
        out = subprocess.run([pandoc, "-f", "json", "-t", "html", "--mathml"], input=doc, capture_output=True, text=True, timeout=120, check=True).stdout
    except Exception as e:  # noqa: BLE001 (formulas stay TeX; say why)
        sys.stderr.write(f"[gradlab report] formulas left as TeX: pandoc failed: {e}\n")
        return html, 0
    parts = re.split(r"<hr\s*/?>", out)
    pieces, last, done = [], 0, 0
    for (start, end, _, _), part in zip(spans, parts):
        m = re.search(r"<math\b[\s\S]*?</math>", part)
        if not m:
            continue  # pandoc could not read this one: keep the TeX
        pieces.append(html[last:start])
        pieces.append(m.group(0).replace("\n", " "))
        last = end
        done += 1
    pieces.append(html[last:])
    return "".join(pieces), done


def drop_test_cells(nb, failure):
    """Cells tagged "test" hold what the test suite checks (test/notebooks): they ran, but a reader does not see them.
    A failing test cell stays (the failure is the news). Without a failure, the prompts are renumbered 1, 2, 3, ..."""
    keep, index = [], None
    for i, cell in enumerate(nb.cells):
        failed_here = failure is not None and failure.get("index") == i
        if "test" in cell.get("metadata", {}).get("tags", []) and not failed_here:
            continue
        if failed_here:
            index = len(keep)
        keep.append(cell)
    nb.cells = keep
    if failure is not None:
        if index is not None:
            nb.metadata["gradlab_report"]["failed"] = dict(failure, index=index)
        return
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell.execution_count = count
            for out in cell.get("outputs", []):
                if "execution_count" in out:
                    out["execution_count"] = count


def export_html(nb, args):
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[TEMPLATE_DIR],
        embed_images=True,  # Markdown images from local files become data: URIs
        exclude_input=args.no_input,
        exclude_input_prompt=args.no_input,
    )
    html, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": nb.metadata.get("title", "report"), "path": os.path.dirname(os.path.abspath(args.notebook))}})
    return html


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--notebook", required=True)
    ap.add_argument("--html", required=True)
    ap.add_argument("--kernel", default="gradlab")
    ap.add_argument("--timeout", type=float, default=600, help="per cell, seconds (0: none)")
    ap.add_argument("--startup-timeout", type=float, default=120)
    ap.add_argument("--no-input", action="store_true")
    ap.add_argument("--version", default="")
    ap.add_argument("--watch-stdin", action="store_true")
    args = ap.parse_args()

    path = os.path.abspath(args.notebook)
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:  # stale outputs must not pass for results of this run
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    title = notebook_title(nb, os.path.splitext(os.path.basename(path))[0])

    t0 = time.time()
    status, failure = await execute(nb, args, os.path.dirname(path))
    elapsed = round(time.time() - t0, 1)
    if status == "interrupted":
        emit({"event": "done", "status": status, "title": title, "elapsed_s": elapsed, "failure": failure})
        return

    nb.metadata["title"] = title
    nb.metadata["gradlab_report"] = {
        "failed": failure,
        "source": os.path.basename(path),
        "kernel": args.kernel,
        "version": args.version,
        "elapsed": elapsed,
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z").strip(),
    }
    drop_test_cells(nb, failure)
    html, formulas = typeset_math(export_html(nb, args))
    with open(args.html, "w", encoding="utf-8") as f:
        f.write(html)
    emit({"event": "done", "status": status, "title": title, "elapsed_s": elapsed, "formulas": formulas, "failure": failure})


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except Exception as e:  # reported to gradlab report, which prints it
        import traceback

        traceback.print_exc()
        emit({"event": "error", "message": f"{type(e).__name__}: {e}"})
        sys.exit(3)
