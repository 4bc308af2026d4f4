#!/usr/bin/python3
"""Drive one Jupyter kernel through jupyter_client, as a notebook front
end would, and report what came back.

Reads a JSON plan on stdin:
  {"kernel": NAME, "cwd": DIR, "startup_timeout": S,
   "steps": [{"code": SRC, "timeout": S, "interrupt_after": S or null}]}
Writes one JSON report on stdout:
  {"ready_seconds": S, "alive": BOOL,
   "cells": [{"reply": {...}, "outputs": [{"msg_type", "content"}],
              "seconds": S, "replied_at": S,
              "reply_after_interrupt": S or null}]}
"replied_at" counts from the start of the kernel.
Each cell's outputs are the IOPub messages parented to its request,
up to its `idle` status.
"""
import json
import os
import subprocess
import sys
import time

from jupyter_client.manager import KernelManager

# After a failed cell, tslab aborts requests that arrive within 200 ms.
AFTER_ERROR_PAUSE = 0.3


def collect_outputs(client, msg_id, deadline):
    outputs = []
    while True:
        message = client.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        kind = message["msg_type"]
        if kind == "status":
            if message["content"]["execution_state"] == "idle":
                return outputs
            continue
        outputs.append({"msg_type": kind, "content": message["content"]})


def shell_reply(client, msg_id, deadline):
    while True:
        message = client.get_shell_msg(timeout=max(0.1, deadline - time.time()))
        if message["parent_header"].get("msg_id") == msg_id:
            return message["content"]


def run_step(manager, client, step, kernel_started):
    started = time.time()
    deadline = started + step.get("timeout", 120)
    msg_id = client.execute(step["code"])
    interrupted_at = None
    if step.get("interrupt_after") is not None:
        time.sleep(step["interrupt_after"])
        interrupted_at = time.time()
        manager.interrupt_kernel()
    reply = shell_reply(client, msg_id, deadline)
    replied_at = time.time()
    outputs = collect_outputs(client, msg_id, deadline)
    if reply.get("status") != "ok":
        time.sleep(AFTER_ERROR_PAUSE)
    return {
        "reply": reply,
        "outputs": outputs,
        "seconds": replied_at - started,
        "replied_at": replied_at - kernel_started,
        "reply_after_interrupt": (
            None if interrupted_at is None else replied_at - interrupted_at
        ),
    }


def main():
    plan = json.load(sys.stdin)
    started = time.time()
    manager = KernelManager(kernel_name=plan["kernel"])
    # The kernel must not share this script's stdout: the report goes
    # there, and Node makes the pipes it inherits non-blocking.
    manager.start_kernel(cwd=plan["cwd"], stdout=subprocess.DEVNULL)
    client = manager.client()
    client.start_channels()
    report = {"cells": []}
    try:
        client.wait_for_ready(timeout=plan.get("startup_timeout", 120))
        report["ready_seconds"] = time.time() - started
        for step in plan["steps"]:
            report["cells"].append(run_step(manager, client, step, started))
        report["alive"] = manager.is_alive()
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    os.set_blocking(sys.stdout.fileno(), True)
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
