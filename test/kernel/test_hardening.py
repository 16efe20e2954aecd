"""Interrupt is a real stop, over real ZeroMQ with jupyter_client: SIGINT (Jupyter's interrupt
button) and `interrupt_request` on the control channel stop a running convlens technique at its
next chunk (it rejects with an AbortError, frees its tensors, and the rest of the interrupted cell
does not run); work the interrupted cell left running prints nothing more; a `for await` over
`lens.progress` and a training run stop too; cells that add or remove SIGINT listeners cannot
let an interrupt kill the kernel; a file appearing in the notebook folder does not break the
compiler (tslab's "Unexpected pending rebuildTimer"); a kernel stuck in a synchronous loop
exits when its launcher dies.

Run with /usr/bin/python3 from test/kernel (test/kernel/interrupt.test.ts does). Every wait is
for an event (a message, a settled promise), never for a duration.
"""
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from kernel_session import KernelSession
from test_comms import running

SETUP = """
import * as lens from "convlens";
await lens.initBackend({ log: false });
const { tf } = lens;
const g = globalThis as any;
const model = tf.sequential({ layers: [
  tf.layers.conv2d({ inputShape: [24, 24, 1], filters: 2, kernelSize: 3, activation: "relu" }),
  tf.layers.flatten(),
  tf.layers.dense({ units: 3, activation: "softmax" }),
] });
const image = tf.randomUniform([1, 24, 24, 1]);
const images = tf.randomUniform([200, 24, 24, 1]);  // 115200 occlusion positions: runs until interrupted
"""


class InterruptChecks:
    """Interrupts (mixed into HardenedKernel)."""
    def streams(self, msgs):
        return "".join(m["content"]["text"] for m in msgs if m["msg_type"] == "stream")

    def started(self, code, marker):
        """Execute `code` and wait until it printed `marker` (it is then in its async part)."""
        msg_id = self.kc.execute(code)
        self.wait_iopub(lambda m: m["msg_type"] == "stream" and m["parent_header"].get("msg_id") == msg_id
                        and marker in m["content"]["text"])
        return msg_id

    def interrupted(self, msg_id, interrupt=None):
        """Interrupt the running cell `msg_id` now (again if it has not answered within 5 s)."""
        for attempt in range(6):
            (interrupt or self.km.interrupt_kernel)()
            try:
                reply = self.wait_shell(lambda m: m["parent_header"].get("msg_id") == msg_id, timeout=5)["content"]
                break
            except AssertionError:
                if attempt == 5:
                    raise
        self.assertEqual(reply["status"], "error", reply)
        self.idle_of(msg_id)
        return reply

    def interrupt_request(self):
        msg = self.kc.session.msg("interrupt_request", {})
        self.kc.control_channel.send(msg)

    def check_interrupts_stop_techniques_progress_loops_and_training(self):
        self.run_ok(SETUP)
        for how, interrupt in (("SIGINT", None), ("interrupt_request", self.interrupt_request)):
            with self.subTest(how):
                self.check_technique_stops(interrupt)
        self.check_late_output_is_dropped()
        self.check_progress_loop_stops()
        self.check_training_stops()

    def check_technique_stops(self, interrupt):
        self.run_ok("g.before = tf.memory().numTensors; g.progressed = 0;")
        msg_id = self.started("""
            g.run = lens.occlusion(model, images, { patchSize: 3, stride: 1, batchSize: 1,
              onProgress: (p: { done: number; total: number }) => { g.progressed = p.done; g.total = p.total; if (p.done === 3) console.log("running"); } });
            const occ = await g.run;
            console.log("the rest of the cell ran");
        """, "running")
        self.interrupted(msg_id, interrupt)
        outcome = self.result_of("""
            const outcome = await g.run.then(() => "finished", (e: Error) => e.name);
            [outcome, g.progressed < g.total, tf.memory().numTensors - g.before]
        """)
        self.assertEqual(outcome, "[ 'AbortError', true, 0 ]")
        self.assertNotIn("the rest of the cell ran", self.streams(self.iopub))
        self.assertEqual(self.result_of("(await lens.occlusion(model, image, { patchSize: 12, stride: 12 })).map.shape"),
                         "[ 1, 2, 2 ]", "a later cell gets a clean kernel")

    def check_late_output_is_dropped(self):
        msg_id = self.started("""
            g.ticks = 0;
            g.ticker = setInterval(() => { g.ticks++; console.log("tick"); }, 1);
            await new Promise((resolve) => setTimeout(resolve, 5));
            console.log("started");
            await new Promise(() => {});
        """, "started")
        self.interrupted(msg_id)
        self.assertEqual(self.result_of("""
            const seen = g.ticks;
            await new Promise((resolve) => setTimeout(resolve, 20));
            clearInterval(g.ticker);
            g.ticks > seen
        """), "true", "the interrupted cell's timer kept running")
        cell = [m for m in self.iopub if m["parent_header"].get("msg_id") == msg_id]
        error_at = next(i for i, m in enumerate(cell) if m["msg_type"] == "error")
        self.assertEqual([m for m in cell[error_at:] if m["msg_type"] == "stream"], [],
                         "output of an interrupted cell arrived after its error")

    def check_progress_loop_stops(self):
        msg_id = self.started("""
            g.loop = (async () => {
              for await (const i of lens.progress(1000000, { display: "none" })) {
                g.count = i;
                if (i === 3) console.log("looping");
                await new Promise((resolve) => setTimeout(resolve, 1));
              }
            })();
            await g.loop;
        """, "looping")
        self.interrupted(msg_id)
        self.assertEqual(self.result_of('const ended = await g.loop.then(() => "finished", (e: Error) => e.name); [ended, g.count < 999999]'),
                         "[ 'AbortError', true ]")

    def check_training_stops(self):
        msg_id = self.started("""
            const x = tf.randomUniform([8, 24, 24, 1]);
            const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], "int32");
            g.training = lens.train(model, { x, y }, { epochs: 100000, batchSize: 2,
              onBatch: (b: { batch: number; epoch: number }) => { if (b.epoch === 0 && b.batch === 2) console.log("training"); } });
            await g.training;
        """, "training")
        self.interrupted(msg_id)
        self.assertEqual(self.result_of('await g.training.then(() => "finished", (e: Error) => e.name)'), "'AbortError'")

    def check_sigint_listeners_added_or_removed_by_cells_do_not_let_an_interrupt_kill_the_kernel(self):
        for code in ('process.once("SIGINT", () => console.log("once"));',
                     'process.on("SIGINT", () => console.log("user listener"));',
                     'process.removeAllListeners("SIGINT");'):
            with self.subTest(code):
                self.run_ok(code)
                msg_id = self.kc.execute("await new Promise(() => {})")
                self.wait_iopub(lambda m: m["msg_type"] == "execute_input" and m["parent_header"]["msg_id"] == msg_id)
                reply = self.interrupted(msg_id)
                self.assertIn("Interrupted", reply["evalue"])
                self.assertTrue(self.km.is_alive(), "the interrupt killed the kernel")
                self.assertEqual(self.result_of("20 + 1"), "21")


BAD_VALUES = [None, "text", 1.5, -1, 10 ** 12, True, [], [1, "a"], {}, {"a": {"b": None}}, "IPY_MODEL_nope", "x" * 100000]


class ProtocolChecks:
    """What a hostile or buggy frontend sends cannot crash the kernel or corrupt a widget."""

    def comm_msg(self, comm_id, data, buffers=None):
        return self.send_shell("comm_msg", {"comm_id": comm_id, "data": data}, buffers)

    def update(self, comm_id, state, buffer_paths=(), buffers=None):
        return self.comm_msg(comm_id, {"method": "update", "state": state, "buffer_paths": list(buffer_paths)}, buffers)

    def opened(self, outputs, model_name):
        [m] = [m for m in outputs if m["msg_type"] == "comm_open" and m["content"]["data"]["state"]["_model_name"] == model_name]
        return m["content"]["comm_id"], m["content"]["data"]

    def assert_kernel_healthy(self):
        self.assertEqual(self.result_of("6 * 7"), "42")
        log = self.kernel_log()
        self.assertNotIn("Uncaught exception", log)
        self.assertNotIn("Unhandled promise rejection", log)

    def fuzz_every_key(self, comm_id, open_data):
        """Send every bad value to every state key, then the original value back. Waits after each
        key (the kernel's status messages for a whole burst would overflow IOPub's queue)."""
        for key, original in open_data["state"].items():
            for bad in BAD_VALUES:
                self.update(comm_id, {key: bad})
            self.update(comm_id, {key: [9]}, [[key, 0]], [b"\x00\x01\x02"])  # a buffer where a list was
            last = self.update(comm_id, {key: None}, [[key]], [b"\x07" * 9])   # a buffer in place of the value
            if [key] not in open_data["buffer_paths"]:
                last = self.update(comm_id, {key: original})
            self.idle_of(last, timeout=120)

    def state_kinds(self, name):
        """The kind of every state key of widget `name` (number, string, list, widget, bytes...)."""
        return self.result_of(
            "JSON.stringify(Object.entries(%s.getState()).map(([k, v]) => [k, v === null ? 'null' : v instanceof Uint8Array ? 'bytes'"
            " : Array.isArray(v) ? 'list' : typeof v === 'object' && 'modelId' in v ? 'widget'"
            " : typeof v]))" % name)

    def check_wrong_values_for_every_state_key_of_a_control_and_a_convlens_widget(self):
        outputs = self.run_ok(SETUP + """
            const slider = new lens.IntSlider({ value: 3, min: 0, max: 10, description: "k" });
            const explorer = await lens.occlusionExplorer(model, image, { patchSize: 6, stride: 6 });
            await explorer.ready();
        """)
        for name, model_name in (("slider", "IntSliderModel"), ("explorer", "OcclusionExplorerModel")):
            with self.subTest(name):
                comm_id, data = self.opened(outputs, model_name)
                before = self.state_kinds(name)
                self.fuzz_every_key(comm_id, data)
                self.assertEqual(self.state_kinds(name), before, "a bad value changed the type of a widget's state")
                self.idle_of(self.update(comm_id, {"value": 7} if name == "slider" else {"patch_size": 4, "class_index": 1}))
        self.assertEqual(self.result_of("slider.get('value')"), "7")
        self.assertEqual(self.result_of("await explorer.ready(); [explorer.get('error'), explorer.get('shown_patch')]"), "[ '', 4 ]",
                         "the explorer no longer computes after the bad values")
        self.assert_kernel_healthy()

    def check_nothing_a_frontend_sends_crashes_the_kernel_or_corrupts_a_widget(self):
        self.check_wrong_values_for_every_state_key_of_a_control_and_a_convlens_widget()
        self.check_malformed_comm_messages_and_buffers()
        self.check_comm_open_reusing_a_live_comm_id_leaves_the_widget_alone()
        self.check_a_rejected_huge_value_is_not_echoed_whole()
        self.check_slider_storm()

    def check_slider_storm(self):
        """300 slider updates sent at once (a dragged slider on a fast frontend) through interact:
        the kernel ends on the last value, has run the callback for it, and is still responsive."""
        outputs = self.run_ok('const storm = lens.interact(({ k }) => { (globalThis as any).lastK = k; return k; }, { k: [0, 300] });')
        comm_id, _ = self.opened(outputs, "IntSliderModel")
        for value in range(1, 301):  # 300: the status and echo messages of more would overflow IOPub's queue
            self.update(comm_id, {"value": value})
        # Shell messages are handled in the order they arrive: this cell runs after the storm.
        self.assertEqual(self.result_of("await storm.idle(); [storm.values().k, (globalThis as any).lastK]"),
                         "[ 300, 300 ]")

    def check_malformed_comm_messages_and_buffers(self):
        outputs = self.run_ok('slider.close();\nconst s2 = new lens.IntSlider({ value: 3 });')
        comm_id, _ = self.opened(outputs, "IntSliderModel")
        for data in (None, 5, "update", [], {"method": 7}, {"method": "nope"}, {"method": "update"},
                     {"method": "update", "state": []}, {"method": "update", "state": {}, "buffer_paths": "value"},
                     {"method": "update", "state": {"value": 4}, "buffer_paths": [["value", 0, "deep"]]},
                     {"method": "custom"}, {"method": "request_state", "extra": {"x": [None]}}):
            self.comm_msg(comm_id, data)
        self.update(comm_id, {"value": 5}, [], [b"\x01" * 10, b""])   # more buffers than paths
        self.update(comm_id, {"value": 5}, [["value"], ["min"]], [b"\x01"])  # fewer buffers than paths
        for content in ({"data": {}}, {"comm_id": 17, "data": {}}, {"comm_id": None}):
            self.send_shell("comm_msg", content)
            self.send_shell("comm_close", content)
        self.send_shell("comm_open", {"comm_id": 5, "target_name": "jupyter.widget"})
        self.send_shell("comm_open", {"comm_id": "fresh-id", "target_name": ["not", "a", "name"], "data": {}})
        last = self.update(comm_id, {"value": 5})
        self.idle_of(last)
        self.assertEqual(self.result_of("s2.get('value')"), "5", "the last good update was applied")
        self.assert_kernel_healthy()

    def check_comm_open_reusing_a_live_comm_id_leaves_the_widget_alone(self):
        outputs = self.run_ok('const s3 = new lens.IntSlider({ value: 3 });')
        comm_id, _ = self.opened(outputs, "IntSliderModel")
        for target in ("jupyter.widget", "jupyter.widget.control", "no.such.target"):
            msg_id = self.send_shell("comm_open", {"comm_id": comm_id, "target_name": target, "data": {}})
            self.idle_of(msg_id)
            self.assertEqual([m for m in self.outputs_of(msg_id) if m["msg_type"] == "comm_close"], [],
                             "the kernel closed a live comm because a frontend reused its id")
        self.assertIn("already open", self.kernel_log())
        msg_id = self.update(comm_id, {"value": 8})
        self.idle_of(msg_id)
        self.assertEqual(self.result_of("[s3.closed, s3.get('value')]"), "[ false, 8 ]")
        self.assert_kernel_healthy()

    def check_a_rejected_huge_value_is_not_echoed_whole(self):
        outputs = self.run_ok('const s4 = new lens.IntSlider({ value: 3 });')
        comm_id, _ = self.opened(outputs, "IntSliderModel")
        logged = len(self.kernel_log())
        msg_id = self.update(comm_id, {"value": "x" * 5000000})
        self.idle_of(msg_id)
        text = "".join(m["content"]["text"] for m in self.outputs_of(msg_id) if m["msg_type"] == "stream")
        self.assertIn("rejected frontend value for \"value\"", text)
        self.assertIn("(5000002 characters)", text)
        self.assertLess(len(text) + len(self.kernel_log()) - logged, 5000)
        self.assertEqual(self.result_of("s4.get('value')"), "3")


class FolderChecks:
    """tslab's compiler and files appearing in the notebook folder (mixed into HardenedKernel)."""

    def check_a_module_written_after_a_failed_import_can_be_imported(self):
        reply, _ = self.execute('import { answer } from "./helper"; answer')
        self.assertEqual(reply["status"], "error")
        self.assertIn("helper", reply["evalue"])
        with open(os.path.join(self.cwd, "helper.ts"), "w") as f:
            f.write("export const answer = 42;\n")
        # The compiler notices the new file when its folder watcher fires: until then the import
        # still fails to resolve; it must never fail any other way, and it must end up working.
        deadline = time.monotonic() + 60
        while True:
            reply, outputs = self.execute('import { answer } from "./helper"; answer')
            if reply["status"] == "ok":
                break
            self.assertIn("Cannot find module './helper'", reply["evalue"])
            self.assertLess(time.monotonic(), deadline, "the new module was never found")
        self.assertEqual([m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"], ["42"])
        self.assertEqual(self.result_of("const later = 1; later"), "1")


class HardenedKernel(InterruptChecks, ProtocolChecks, FolderChecks, KernelSession):
    """One kernel (starting one costs seconds) through all the checks, in a fresh notebook folder."""
    cwd = tempfile.mkdtemp(prefix="convlens-notebook-")
    maxDiff = None

    def test_one_kernel_through_hostile_frontends_folder_changes_and_interrupts(self):
        for check in (self.check_nothing_a_frontend_sends_crashes_the_kernel_or_corrupts_a_widget,
                      self.check_a_module_written_after_a_failed_import_can_be_imported,
                      self.check_interrupts_stop_techniques_progress_loops_and_training,
                      self.check_sigint_listeners_added_or_removed_by_cells_do_not_let_an_interrupt_kill_the_kernel):
            with self.subTest(check.__name__):
                check()


class OrphanedBusyKernel(unittest.TestCase):
    """A kernel stuck in a synchronous loop still exits when its launcher dies (the watch runs in
    a worker thread, outside the blocked event loop)."""

    LAUNCHER = (
        "import os, sys, time\n"
        "from jupyter_client.manager import KernelManager\n"
        "km = KernelManager(kernel_name='convlens'); km.start_kernel()\n"
        "kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=60)\n"
        "marker = sys.argv[1]\n"
        "kc.execute('require(\"fs\").writeFileSync(%r, \"spinning\"); while (true) {}' % marker)\n"
        "while not os.path.exists(marker): time.sleep(0.05)\n"
        "print(km.provisioner.process.pid, flush=True)\n"
        "time.sleep(600)\n"
    )

    def test_busy_kernel_exits_when_its_parent_dies(self):
        marker = os.path.join(tempfile.mkdtemp(prefix="convlens-busy-"), "spinning")
        launcher = subprocess.Popen([sys.executable, "-c", self.LAUNCHER, marker], stdout=subprocess.PIPE, text=True)
        try:
            kernel_pid = int(launcher.stdout.readline())
            self.assertTrue(running(kernel_pid))
            launcher.send_signal(signal.SIGKILL)
            launcher.wait()
            deadline = time.monotonic() + 30
            while running(kernel_pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            alive = running(kernel_pid)
            if alive:
                os.kill(kernel_pid, signal.SIGKILL)
            self.assertFalse(alive, "a busy kernel kept running after its parent died")
        finally:
            if launcher.poll() is None:
                launcher.kill()


if __name__ == "__main__":
    unittest.main(verbosity=2)
