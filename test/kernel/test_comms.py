"""The Jupyter comm protocol of the convlens kernel, over real ZeroMQ with jupyter_client.

Run with /usr/bin/python3 from test/kernel (test/kernel/kernel.test.ts does, with the
kernelspec installed in a temporary prefix on JUPYTER_PATH).
"""
import hashlib
import os
import tempfile
import time
import unittest

from jupyter_client.session import Session

from kernel_session import KernelSession

TRANSPORT = 'import { getInstalledCommTransport } from "convlens/kernel";\n' \
            'const transport = getInstalledCommTransport()!;\n'


def comm_msgs(msgs, msg_type, comm_id):
    return [m for m in msgs if m["msg_type"] == msg_type and m["content"].get("comm_id") == comm_id]


class KernelOpenedComms(KernelSession):
    def test_kernel_opens_comm_and_reads_client_update(self):
        outputs = self.run_ok(TRANSPORT + """
            const received: any[] = [];
            const comm = transport.open("convlens.test", { hello: 1 }, [new Uint8Array([1, 2, 3])], { version: "2.1.0" });
            comm.onMessage((m) => {
              const data = m.data as { value: number };   // comm data is unknown JSON until checked
              received.push(data);
              console.log("handling", data.value);
              transport.displayData({ "text/plain": "shown while handling" });
              comm.send({ echo: data.value }, [new Uint8Array([9, 8])]);
            });
            const openedId = comm.commId;
        """)
        [opened] = [m for m in outputs if m["msg_type"] == "comm_open"]
        comm_id = opened["content"]["comm_id"]
        self.assertEqual(opened["content"]["target_name"], "convlens.test")
        self.assertEqual(opened["content"]["data"], {"hello": 1})
        self.assertEqual(opened["metadata"], {"version": "2.1.0"})
        self.assertEqual([bytes(b) for b in opened["buffers"]], [bytes([1, 2, 3])])

        info_id = self.send_shell("comm_info_request", {"target_name": "convlens.test"})
        info = self.wait_shell(lambda m: m["parent_header"].get("msg_id") == info_id)
        self.assertEqual(info["msg_type"], "comm_info_reply")
        self.assertEqual(info["content"], {"status": "ok", "comms": {comm_id: {"target_name": "convlens.test"}}})
        other_id = self.send_shell("comm_info_request", {"target_name": "something.else"})
        other = self.wait_shell(lambda m: m["parent_header"].get("msg_id") == other_id)
        self.assertEqual(other["content"]["comms"], {})

        msg_id = self.send_shell("comm_msg", {"comm_id": comm_id, "data": {"value": 42}})
        self.wait_iopub(lambda m: m["msg_type"] == "status" and m["parent_header"].get("msg_id") == msg_id
                        and m["content"]["execution_state"] == "busy")
        self.idle_of(msg_id)
        outputs = self.outputs_of(msg_id)
        streams = [m["content"]["text"] for m in outputs if m["msg_type"] == "stream"]
        self.assertEqual(streams, ["handling 42\n"], "console.log in a comm handler goes to the comm_msg")
        displays = [m["content"]["data"] for m in outputs if m["msg_type"] == "display_data"]
        self.assertEqual(displays, [{"text/plain": "shown while handling"}])
        [echo] = comm_msgs(outputs, "comm_msg", comm_id)
        self.assertEqual(echo["content"]["data"], {"echo": 42})
        self.assertEqual([bytes(b) for b in echo["buffers"]], [bytes([9, 8])])

        self.assertEqual(self.result_of("received"), "[ { value: 42 } ]")

        close_id = self.send_shell("comm_close", {"comm_id": comm_id, "data": {}})
        self.idle_of(close_id)
        self.assertEqual(self.result_of("comm.closed"), "true")

    def test_frontend_opens_comm_on_registered_target(self):
        # Frontends ask for widget state as soon as they connect, before any cell ran.
        self.send_shell("comm_open", {"comm_id": "ctl", "target_name": "jupyter.widget.control", "data": {}})
        self.send_shell("comm_msg", {"comm_id": "ctl", "data": {"method": "request_states"}})
        states = self.wait_iopub(lambda m: m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == "ctl")
        self.assertEqual(states["content"]["data"]["method"], "update_states")
        self.run_ok(TRANSPORT + """
            const log: string[] = [];
            transport.registerTarget("convlens.frontend", (comm, msg) => {
              log.push("open " + (msg.data as { x: unknown }).x);
              comm.onMessage((m) => { log.push("msg " + (m.data as { y: unknown }).y); });
              comm.onClose(() => { log.push("closed"); });
            });
        """)
        open_id = self.send_shell("comm_open", {"comm_id": "c-1", "target_name": "convlens.frontend", "data": {"x": 1}})
        self.idle_of(open_id)
        self.idle_of(self.send_shell("comm_msg", {"comm_id": "c-1", "data": {"y": 2}}))
        self.idle_of(self.send_shell("comm_close", {"comm_id": "c-1", "data": {}}))
        self.assertEqual(self.result_of("log"), "[ 'open 1', 'msg 2', 'closed' ]")

        unknown_id = self.send_shell("comm_open", {"comm_id": "c-2", "target_name": "no.such.target", "data": {}})
        closing = self.wait_iopub(lambda m: m["msg_type"] == "comm_close" and m["content"]["comm_id"] == "c-2")
        self.assertEqual(closing["parent_header"]["msg_id"], unknown_id)

    def test_binary_buffer_round_trip_is_byte_exact(self):
        self.run_ok(TRANSPORT + """
            import { createHash } from "crypto";
            const echo = transport.open("convlens.echo", {});
            echo.onMessage((m) => {
              const [view] = m.buffers;
              const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
              echo.send({ sha256: createHash("sha256").update(bytes).digest("hex"), length: bytes.length }, [view]);
            });
        """)
        [opened] = [m for m in self.iopub if m["msg_type"] == "comm_open"]
        comm_id = opened["content"]["comm_id"]
        payload = os.urandom(2 * 1024 * 1024)
        msg_id = self.send_shell("comm_msg", {"comm_id": comm_id, "data": {"kind": "blob"}}, buffers=[payload])
        reply = self.wait_iopub(lambda m: m["msg_type"] == "comm_msg" and m["parent_header"].get("msg_id") == msg_id)
        self.assertEqual(reply["content"]["data"], {"sha256": hashlib.sha256(payload).hexdigest(), "length": len(payload)})
        self.assertEqual(len(reply["buffers"]), 1)
        self.assertTrue(bytes(reply["buffers"][0]) == payload, "2 MB buffer did not come back byte-exact")


class HostileMessages(KernelSession):
    def send_signed_parts(self, msg_type, content):
        """Send a correctly signed message whose content part is the raw bytes `content`; returns its msg_id."""
        header = self.kc.session.msg_header(msg_type)
        parts = [self.kc.session.pack(header), b"{}", b"{}", content]
        self.kc.shell_channel.socket.send_multipart([b"<IDS|MSG>", self.kc.session.sign(parts)] + parts)
        return header["msg_id"]

    def test_bad_hmac_unknown_comm_and_malformed_content_leave_kernel_working(self):
        socket = self.kc.shell_channel.socket
        # 1. A signed-with-the-wrong-key execute_request must not run.
        forged = Session(key=b"not-the-kernel-key", username="intruder")
        forged.send(socket, "execute_request", {"code": "(globalThis as any).forged = 1", "silent": False,
                                                "store_history": True, "user_expressions": {},
                                                "allow_stdin": False, "stop_on_error": True})
        # 2. A comm_msg for a comm that does not exist.
        unknown_id = self.send_shell("comm_msg", {"comm_id": "no-such-comm", "data": {"x": 1}})
        # 3. Malformed contents: no comm_id, comm_id of the wrong type, content not an object, code not a string.
        no_id = self.send_shell("comm_msg", {"data": {}})
        bad_type = self.send_shell("comm_open", {"comm_id": 7, "target_name": None})
        not_object = self.send_signed_parts("comm_close", b"[1, 2, 3]")
        bad_code = self.send_shell("execute_request", {"code": 123, "silent": False})
        # 4. Correctly signed frames whose content part is not JSON.
        self.send_signed_parts("comm_msg", b"{not json")
        # 5. Frames without the delimiter.
        socket.send_multipart([b"garbage", b"frames"])

        for msg_id in (unknown_id, no_id, bad_type, not_object):
            self.idle_of(msg_id)
        bad_reply = self.wait_shell(lambda m: m["parent_header"].get("msg_id") == bad_code)
        self.assertEqual(bad_reply["content"]["status"], "error")
        self.assertIn("must be a string", bad_reply["content"]["evalue"])

        self.assertTrue(self.km.is_alive())
        self.assertEqual(self.result_of("1 + 1"), "2")
        self.assertEqual(self.result_of("typeof (globalThis as any).forged"), "'undefined'",
                         "a message with a bad HMAC was executed")
        forged_ids = [m for m in self.iopub if m["parent_header"].get("username") == "intruder"]
        self.assertEqual(forged_ids, [], "the kernel answered a message with a bad HMAC")
        log = self.kernel_log()
        self.assertIn("signature (HMAC) does not match", log)
        self.assertIn("unknown comm 'no-such-comm'", log)
        self.assertIn("not valid JSON", log)
        self.assertIn("no <IDS|MSG> delimiter", log)


class CommsDuringRunningCell(KernelSession):
    def test_comm_message_is_handled_within_200ms_during_async_loop_and_stops_it(self):
        self.run_ok(TRANSPORT + """
            const control = { stop: false };
            const stopButton = transport.open("convlens.stop", {});
            stopButton.onMessage(() => { control.stop = true; });
        """)
        [opened] = [m for m in self.iopub if m["msg_type"] == "comm_open"]
        comm_id = opened["content"]["comm_id"]
        loop_id = self.kc.execute("""
            const started = Date.now();
            let steps = 0;
            while (!control.stop && Date.now() - started < 10000) {
              await new Promise((resolve) => setTimeout(resolve, 5));
              steps++;
            }
            console.log(control.stop ? "stopped after" : "ran out after", steps > 0 ? "some steps" : "no steps");
        """)
        self.wait_iopub(lambda m: m["msg_type"] == "execute_input" and m["parent_header"]["msg_id"] == loop_id)
        time.sleep(1.0)
        sent = time.monotonic()
        msg_id = self.send_shell("comm_msg", {"comm_id": comm_id, "data": {"event": "click"}})
        self.idle_of(msg_id, timeout=12)
        latency = time.monotonic() - sent
        self.assertLess(latency, 0.2, "comm_msg took %.3f s to be handled while a cell ran" % latency)
        reply = self.wait_shell(lambda m: m["parent_header"].get("msg_id") == loop_id, timeout=12)
        stopped = time.monotonic() - sent
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertLess(stopped, 2.0, "the loop did not stop soon after the Stop message")
        self.idle_of(loop_id)
        streams = [m["content"]["text"] for m in self.outputs_of(loop_id) if m["msg_type"] == "stream"]
        self.assertEqual(streams, ["stopped after some steps\n"])


class ExecutionControl(KernelSession):
    def test_interrupt_stops_a_pending_await_and_a_busy_loop(self):
        for code, evalue in (("await new Promise(() => {})", "Interrupted asynchronously"),
                             ("while (true) {}", "Script execution was interrupted")):
            msg_id = self.kc.execute(code)
            self.wait_iopub(lambda m: m["msg_type"] == "execute_input" and m["parent_header"]["msg_id"] == msg_id)
            reply = self.interrupt_until_reply(msg_id)
            self.assertEqual(reply["content"]["status"], "error")
            self.assertIn(evalue, reply["content"]["evalue"])
            self.idle_of(msg_id)
        self.assertEqual(self.result_of("1 + 2"), "3")

    def test_a_cell_sent_as_soon_as_a_failure_is_answered_runs(self):
        # Only requests sent before the failure are aborted. A local client answers the error reply
        # within the failure's millisecond (the kernel once aborted such a cell: whole-ms clocks).
        for i in range(10):
            failing = self.kc.execute('throw new Error("fails %d")' % i)
            reply = self.wait_shell(lambda m: m["parent_header"].get("msg_id") == failing)
            self.assertEqual(reply["content"]["status"], "error")
            msg_id = self.kc.execute("%d * 10" % i)
            reply = self.wait_shell(lambda m: m["parent_header"].get("msg_id") == msg_id)
            self.assertEqual(reply["content"]["status"], "ok", "cell %d, sent after the error reply, was %s" % (i, reply["content"]["status"]))

    def test_requests_waiting_behind_a_busy_cell_are_aborted_when_it_fails(self):
        # Sent while the cell's synchronous part runs, they wait in the socket until it fails.
        busy = self.kc.execute('const busyStart = Date.now(); while (Date.now() - busyStart < 1500) {}\n'
                               'throw new Error("late failure")')
        self.wait_iopub(lambda m: m["msg_type"] == "execute_input" and m["parent_header"]["msg_id"] == busy)
        time.sleep(0.3)
        ids = [busy] + [self.kc.execute('console.log("queued %d")' % i) for i in range(3)]
        replies = [self.wait_shell(lambda m, i=i: m["parent_header"].get("msg_id") == i, timeout=15)["content"] for i in ids]
        self.assertEqual([r["status"] for r in replies], ["error", "aborted", "aborted", "aborted"])
        self.assertEqual(replies[0]["evalue"], "late failure")
        self.assertEqual(self.result_of("6 * 7"), "42")


    def test_a_failing_cell_aborts_the_cells_queued_behind_it_unless_stop_on_error_is_off(self):
        ids = [self.kc.execute('throw new Error("first fails")'),
               self.kc.execute('console.log("queued 1")'),
               self.kc.execute('console.log("queued 2")')]
        replies = [self.wait_shell(lambda m, i=i: m["parent_header"].get("msg_id") == i)["content"] for i in ids]
        self.assertEqual([r["status"] for r in replies], ["error", "aborted", "aborted"])
        self.assertEqual(replies[0]["evalue"], "first fails")
        self.assertEqual(self.result_of("40 + 2"), "42")
        ids = [self.kc.execute('throw new Error("tolerated")', stop_on_error=False), self.kc.execute('"still runs"')]
        replies = [self.wait_shell(lambda m, i=i: m["parent_header"].get("msg_id") == i)["content"] for i in ids]
        self.assertEqual([r["status"] for r in replies], ["error", "ok"])


    def test_user_expressions_are_evaluated_after_the_cell(self):
        msg_id = self.kc.execute("const side = 6;", user_expressions={
            "area": "side * side", "broken": "missingName + 1", "label": '`side=${side}`'})
        reply = self.wait_shell(lambda m: m["parent_header"].get("msg_id") == msg_id)["content"]
        self.assertEqual(reply["status"], "ok")
        expressions = reply["user_expressions"]
        self.assertEqual(expressions["area"], {"status": "ok", "data": {"text/plain": "36"}, "metadata": {}})
        self.assertEqual(expressions["label"]["data"], {"text/plain": "'side=6'"})
        self.assertEqual(expressions["broken"]["status"], "error")
        self.assertIn("missingName", expressions["broken"]["evalue"])
        self.idle_of(msg_id)
        self.assertEqual(self.result_of("side"), "6")


    def test_shorthand_properties_reach_earlier_cells_variables(self):
        self.run_ok("const classNames = ['cat', 'dog'];")
        self.assertEqual(self.result_of("const o = { classNames }; o.classNames.length"), "2")

    def test_a_notebook_that_starts_by_loading_a_model_runs_on_the_chosen_backend(self):
        # No initBackend(): tfjs alone would take its pure-JS cpu backend (it skips async ones).
        outputs = self.run_ok('import * as lens from "convlens";\nconst m = await lens.loadModel("fashion-cnn");\n'
                              'const info = await lens.initBackend();\n[lens.tf.getBackend(), info.tfBackend, info.reason]')
        [result] = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
        streams = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
        self.assertNotIn("Hi, looks like you are running TensorFlow.js in Node.js", streams)
        self.assertIn("convlens: backend", streams, "the chosen backend is announced in the loading cell")
        backend, chosen, reason = [part.strip(" '\n") for part in result.strip("[] \n").split(",", 2)]
        self.assertEqual(backend, chosen)
        if not os.environ.get("CONVLENS_BACKEND"):
            self.assertNotEqual(backend, "cpu")
            self.assertIn("fastest backend", reason)

    def test_a_top_level_await_of_a_parenthesis_awaits(self):
        # TypeScript reads `await (` in a script as a call of a function named await.
        self.run_ok("const loaded = await (async () => ({ n: 40 }))();")
        self.assertEqual(self.result_of("loaded.n + await (Promise.resolve(2))"), "42")

    def test_an_empty_mime_bundle_shows_no_execute_result(self):
        outputs = self.run_ok('import { toMimeBundle } from "convlens/widgets";\n'
                              '({ [toMimeBundle]: () => ({ data: {}, metadata: {} }) })')
        self.assertEqual([m for m in outputs if m["msg_type"] == "execute_result"], [])

    def test_output_of_a_chatty_loop_is_batched_in_order(self):
        outputs = self.run_ok("""
            for (let i = 0; i < 3000; i++) console.log(i);
            import * as tslab from "tslab";
            tslab.display.text("between");
            console.error("to stderr");
            for (let i = 0; i < 3; i++) { await new Promise((r) => setTimeout(r, 20)); console.log("tick", i); }
        """)
        kinds = [(m["msg_type"], m["content"].get("name")) for m in outputs if m["msg_type"] != "execute_input"]
        streams = [m for m in outputs if m["msg_type"] == "stream"]
        self.assertLessEqual(len(streams), 8, "3000 writes should be merged into a few stream messages")
        stdout = "".join(m["content"]["text"] for m in streams if m["content"]["name"] == "stdout")
        self.assertEqual(stdout, "".join("%d\n" % i for i in range(3000)) + "tick 0\ntick 1\ntick 2\n")
        first_display = kinds.index(("display_data", None))
        self.assertTrue(all(k == ("stream", "stdout") for k in kinds[:first_display]))
        self.assertEqual(kinds[first_display + 1], ("stream", "stderr"))


class NotebookFolderWithoutNodeModules(KernelSession):
    cwd = tempfile.mkdtemp(prefix="convlens-notebook-")

    def test_convlens_and_node_types_resolve(self):
        self.assertFalse(os.path.exists(os.path.join(self.cwd, "node_modules")))
        self.assertEqual(self.result_of(
            'import * as lens from "convlens";\n'
            'const b: Buffer = Buffer.from("abc");\n'
            'const cwdOk: boolean = process.cwd().length > 0;\n'
            'console.log("node", b.length, cwdOk);\n'
            'typeof lens.clearOutput'), "'function'")
        # Real types, not `any`: a wrong argument type is a compile error naming convlens's signature.
        reply, outputs = self.execute('import { clearOutput } from "convlens"; clearOutput("yes")')
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "CompileError")
        self.assertIn("boolean", reply["evalue"])
        [error] = [m for m in outputs if m["msg_type"] == "error"]
        self.assertEqual(error["content"]["ename"], "CompileError")


class OrphanedKernel(unittest.TestCase):
    """A kernel whose launching process dies exits by itself (JPY_PARENT_PID), like ipykernel."""

    LAUNCHER = (
        "import sys, time\n"
        "from jupyter_client.manager import KernelManager\n"
        "km = KernelManager(kernel_name='convlens'); km.start_kernel()\n"
        "kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=60)\n"
        "print(km.provisioner.process.pid, flush=True)\n"
        "time.sleep(600)\n"
    )

    def test_kernel_exits_when_its_parent_dies(self):
        import signal
        import subprocess
        import sys
        launcher = subprocess.Popen([sys.executable, "-c", self.LAUNCHER], stdout=subprocess.PIPE, text=True)
        try:
            kernel_pid = int(launcher.stdout.readline())
            self.assertTrue(running(kernel_pid))
            launcher.send_signal(signal.SIGKILL)
            launcher.wait()
            deadline = time.monotonic() + 10
            while running(kernel_pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            alive = running(kernel_pid)
            if alive:
                os.kill(kernel_pid, signal.SIGKILL)
            self.assertFalse(alive, "kernel kept running after its parent died")
        finally:
            if launcher.poll() is None:
                launcher.kill()


class RequestsDuringStart(unittest.TestCase):
    """A client that talks before the kernel has bound its sockets (jupyter_client connects at once
    and ZeroMQ delivers what it queued the moment the kernel binds) gets answers, and the kernel
    survives: tslab's own start read its sockets while binding them, and a message landing then
    made the next read throw EBUSY and killed the kernel (about one start in three here). The
    heartbeat, read by the same new start-up, echoes."""

    def assert_heartbeat_echoes(self, km):
        """Three pings on the heartbeat socket come back unchanged, one after another."""
        import zmq
        sock = zmq.Context.instance().socket(zmq.REQ)
        sock.linger = 0
        sock.connect("%s://%s:%d" % (km.transport, km.ip, km.hb_port))
        try:
            for ping in (b"ping 1", b"ping 2", b"ping 3"):
                sock.send(ping)
                self.assertTrue(sock.poll(5000), "no heartbeat echo within 5 s")
                self.assertEqual(sock.recv(), ping)
        finally:
            sock.close()

    def test_requests_sent_while_the_kernel_binds_are_answered(self):
        from queue import Empty
        from jupyter_client.manager import KernelManager
        for attempt in range(3):
            with tempfile.NamedTemporaryFile("w+", suffix=".log") as log:
                km = KernelManager(kernel_name="convlens")
                km.start_kernel(stderr=log)
                kc = km.client()
                kc.start_channels()
                try:
                    reply = None
                    deadline = time.monotonic() + 60
                    while reply is None and time.monotonic() < deadline:
                        kc.kernel_info()  # every 20 ms from the first moment: a burst lands as the kernel binds
                        try:
                            reply = kc.get_shell_msg(timeout=0.02)
                        except Empty:
                            pass
                    self.assertIsNotNone(reply, "no kernel_info_reply within 60 s (start %d)" % attempt)
                    kc.wait_for_ready(timeout=60)  # also lets IOPub's subscription reach the kernel
                    self.assertEqual(kc.execute_interactive("6 * 7", timeout=60)["content"]["status"], "ok")
                    self.assertTrue(km.is_alive(), "the kernel died (start %d)" % attempt)
                    self.assert_heartbeat_echoes(km)
                    log.flush()
                    with open(log.name) as f:
                        text = f.read()
                    self.assertNotIn("EBUSY", text)
                    self.assertNotIn("dropped a message", text)
                finally:
                    kc.stop_channels()
                    km.shutdown_kernel(now=True)


def running(pid):
    """True while `pid` exists and is not a zombie."""
    try:
        with open("/proc/%d/status" % pid) as f:
            return "\tZ" not in next(line for line in f if line.startswith("State:"))
    except (FileNotFoundError, StopIteration):
        return False


if __name__ == "__main__":
    unittest.main(verbosity=2)
