#!/usr/bin/python3
"""Drives a Jupyter kernel through nbclient (Jupyter's own client), speaking JSON lines over stdio.

    /usr/bin/python3 driver.py --kernel gradlab [--cwd DIR]

Prints {"event": "ready", "startup_ms": ...} once the kernel answered kernel_info, then serves requests, one JSON
object per line:
    {"id": 1, "op": "execute", "code": "...", "timeout": 60}
    {"id": 2, "op": "execute", "code": "...", "interrupt_after": 1.0}
    {"id": 2, "op": "execute", "code": "...", "interrupt_on_output": "marker"}   (interrupt once printed)
    {"id": 3, "op": "shutdown"}
and answers each with {"id": ..., "reply": execute_reply content, "outputs": the cell's nbformat outputs,
"execution_count": ..., "messages": [{"msg_type", "content"}], "elapsed_ms": ...}.
The kernel is always shut down: on "shutdown", on end of input, on SIGTERM, and on errors.
"""
import argparse
import asyncio
import json
import os
import signal
import sys
import time

os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402


def emit(obj):
    # The kernel inherits this stdout pipe and Node makes it non-blocking; a large reply (a figure, plotly.js)
    # written while the reader is slow would then be cut short. Writes must block until the reader catches up.
    os.set_blocking(sys.stdout.fileno(), True)
    sys.stdout.write(json.dumps(obj, default=str) + "\n")
    sys.stdout.flush()


class RecordingClient(NotebookClient):
    """Records every IOPub message that nbclient processes for a cell, and the execute_reply."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.recorded = []
        self.last_reply = None
        self.on_cell_executed = self._on_executed

    def _on_executed(self, cell=None, cell_index=None, execute_reply=None, **_):
        self.last_reply = execute_reply

    def process_message(self, msg, cell, cell_index):
        self.recorded.append({"msg_type": msg["msg_type"], "content": msg["content"]})
        return super().process_message(msg, cell, cell_index)


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="gradlab")
    ap.add_argument("--cwd", default=os.getcwd())
    ap.add_argument("--startup-timeout", type=float, default=60)
    args = ap.parse_args()

    nb = nbformat.v4.new_notebook()
    client = RecordingClient(
        nb,
        kernel_name=args.kernel,
        allow_errors=True,
        timeout=120,
        # nbclient waits only 4 s for a cell's IOPub messages after its reply, then silently drops them; on a
        # loaded machine (tests run in parallel) that loses outputs. Wait longer, and fail loudly if it happens.
        iopub_timeout=60,
        raise_on_iopub_timeout=True,
        startup_timeout=args.startup_timeout,
        resources={"metadata": {"path": args.cwd}},
    )
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)

    t0 = time.time()
    try:
        client.km = client.create_kernel_manager()
        await client.async_start_new_kernel(cwd=args.cwd)
        await client.async_start_new_kernel_client()
        emit({"event": "ready", "startup_ms": round((time.time() - t0) * 1000, 1)})

        index = 0
        while not stop.is_set():
            line_task = loop.run_in_executor(None, sys.stdin.readline)
            stop_task = asyncio.ensure_future(stop.wait())
            done, _ = await asyncio.wait({line_task, stop_task}, return_when=asyncio.FIRST_COMPLETED)
            stop_task.cancel()
            if stop_task in done or line_task not in done:
                break
            line = line_task.result()
            if not line:
                break  # end of input
            line = line.strip()
            if not line:
                continue
            req = json.loads(line)
            rid = req.get("id")
            op = req.get("op")
            try:
                if op == "shutdown":
                    emit({"id": rid, "ok": True})
                    break
                if op != "execute":
                    emit({"id": rid, "error": f"unknown op {op!r}"})
                    continue
                cell = nbformat.v4.new_code_cell(req["code"])
                nb.cells.append(cell)
                client.recorded = []
                client.last_reply = None
                client.timeout = req.get("timeout", 120)
                start = time.time()
                task = asyncio.ensure_future(client.async_execute_cell(cell, index))
                index += 1
                if req.get("interrupt_on_output") is not None:
                    # Interrupt once the cell printed the marker (so it is surely running), or after 30 s.
                    marker = req["interrupt_on_output"]
                    deadline = time.time() + 30
                    while time.time() < deadline and not task.done():
                        if any(m["msg_type"] == "stream" and marker in m["content"].get("text", "") for m in client.recorded):
                            break
                        await asyncio.sleep(0.02)
                    await asyncio.sleep(float(req.get("interrupt_after") or 0.2))
                    await client.km.interrupt_kernel()
                elif req.get("interrupt_after") is not None:
                    await asyncio.sleep(float(req["interrupt_after"]))
                    await client.km.interrupt_kernel()
                await task
                emit({
                    "id": rid,
                    "reply": (client.last_reply or {}).get("content"),
                    "outputs": cell.get("outputs", []),
                    "execution_count": cell.get("execution_count"),
                    "messages": client.recorded,
                    "elapsed_ms": round((time.time() - start) * 1000, 1),
                })
            except Exception as e:  # report and keep serving
                emit({"id": rid, "error": f"{type(e).__name__}: {e}"})
    finally:
        try:
            await client._async_cleanup_kernel()
        except Exception:
            if client.km is not None:
                try:
                    await client.km.shutdown_kernel(now=True)
                except Exception:
                    pass
        emit({"event": "closed"})


if __name__ == "__main__":
    asyncio.run(main())
