"""A real jupyter_client connection to the convlens kernel, for the kernel's protocol tests.

Each test gets a fresh kernel (started in `cwd`, its stderr kept in a log file) and shuts it
down afterwards with a shutdown_request. Messages are read from IOPub and shell into lists, so
a test can wait for a message matching a predicate without losing the others.
"""
import os
import sys
import tempfile
import time
import unittest
from queue import Empty

from jupyter_client.manager import KernelManager

TIMEOUT = 30


class KernelSession(unittest.TestCase):
    """Base class: `self.kc` is a started client of a fresh convlens kernel."""

    #: Folder the kernel runs in (None: the current folder).
    cwd = None

    def setUp(self):
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        self.km = KernelManager(kernel_name="convlens")
        self.km.start_kernel(cwd=self.cwd or os.getcwd(), stderr=self.log)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)
        self.iopub = []
        self.shell = []

    def tearDown(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel()
        alive = self.km.is_alive()
        if self._failed():
            # A failed test shows what the kernel logged (e.g. why it aborted a request).
            sys.stderr.write("\n--- kernel log of %s ---\n%s--- end of kernel log ---\n" % (self.id(), self.kernel_log()))
        self.log.close()
        os.unlink(self.log.name)
        self.assertFalse(alive, "kernel still running after shutdown")

    def _failed(self):
        """Whether this test has failed so far (for tearDown; Python 3.11 records it in the result)."""
        outcome = getattr(self, "_outcome", None)
        result = getattr(outcome, "result", None)
        problems = list(getattr(result, "failures", [])) + list(getattr(result, "errors", []))
        return not getattr(outcome, "success", True) or any(test is self for test, _ in problems)

    def kernel_log(self):
        """What the kernel wrote to its own stderr so far."""
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def wait_iopub(self, predicate, timeout=TIMEOUT):
        """The first IOPub message (seen before or arriving within `timeout` s) matching `predicate`."""
        return self._wait(self.iopub, self.kc.get_iopub_msg, predicate, timeout)

    def wait_shell(self, predicate, timeout=TIMEOUT):
        """The first shell reply matching `predicate`."""
        return self._wait(self.shell, self.kc.get_shell_msg, predicate, timeout)

    def _wait(self, seen, get, predicate, timeout):
        for msg in seen:
            if predicate(msg):
                seen.remove(msg)
                return msg
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no matching message within %s s; seen: %r" % (timeout, [
                    (m["msg_type"], m["content"]) for m in seen][-20:]))
            try:
                msg = get(timeout=min(left, 0.05))
            except Empty:
                continue
            if predicate(msg):
                return msg
            seen.append(msg)

    def idle_of(self, msg_id, timeout=TIMEOUT):
        """Wait for the idle status whose parent is `msg_id`."""
        return self.wait_iopub(lambda m: m["msg_type"] == "status" and m["parent_header"].get("msg_id") == msg_id
                               and m["content"]["execution_state"] == "idle", timeout)

    def outputs_of(self, msg_id):
        """IOPub messages seen so far whose parent is `msg_id` (status excluded)."""
        return [m for m in self.iopub if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] != "status"]

    def execute(self, code, timeout=TIMEOUT):
        """Execute `code`; returns (execute_reply content, IOPub outputs of the cell)."""
        msg_id = self.kc.execute(code)
        reply = self.wait_shell(lambda m: m["parent_header"].get("msg_id") == msg_id, timeout)
        self.idle_of(msg_id, timeout)
        return reply["content"], self.outputs_of(msg_id)

    def run_ok(self, code):
        """Execute `code`, assert it succeeded; returns its IOPub outputs."""
        reply, outputs = self.execute(code)
        self.assertEqual(reply["status"], "ok", "cell failed: %r\n%s" % (reply, code))
        return outputs

    def result_of(self, code):
        """The text/plain execute_result of `code`."""
        results = [m for m in self.run_ok(code) if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1, "expected one execute_result for %r" % code)
        return results[0]["content"]["data"]["text/plain"]

    def send_shell(self, msg_type, content, buffers=None):
        """Send a message on the shell channel; returns its msg_id."""
        msg = self.kc.session.msg(msg_type, content)
        self.kc.session.send(self.kc.shell_channel.socket, msg, buffers=buffers or [])
        return msg["header"]["msg_id"]

    def interrupt_until_reply(self, msg_id, interrupt=None):
        """Interrupt (SIGINT, or `interrupt()`) every 0.5 s until the cell answers, at most 10 s. A
        SIGINT that lands while the cell is still being compiled is consumed before the code runs,
        as when a user presses the interrupt button too early; pressing again stops it."""
        deadline = time.monotonic() + 10
        while True:
            time.sleep(0.5)
            (interrupt or self.km.interrupt_kernel)()
            try:
                return self.wait_shell(lambda m: m["parent_header"].get("msg_id") == msg_id, timeout=0.5)
            except AssertionError:
                if time.monotonic() > deadline:
                    raise
