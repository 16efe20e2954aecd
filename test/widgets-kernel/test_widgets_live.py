"""The kernel-side widget API over the real convlens kernel and ZeroMQ, driven by jupyter_client
playing the frontend: state sync with echo_update, request_state, binary buffers both ways,
interact coalescing of a burst of 50 slider events, and a progress bar's Stop button ending a
running loop.

Run with /usr/bin/python3 (test/widgets-kernel/live-kernel.test.ts does, with the kernelspec
installed in a temporary prefix on JUPYTER_PATH).
"""
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kernel"))
from kernel_session import KernelSession  # noqa: E402

LENS = 'import * as lens from "convlens";\n'


def opened_models(msgs):
    """{model_name: comm_id} of the widget comms opened in `msgs`."""
    return {m["content"]["data"]["state"]["_model_name"]: m["content"]["comm_id"]
            for m in msgs if m["msg_type"] == "comm_open" and m["content"]["target_name"] == "jupyter.widget"}


class LiveWidgets(KernelSession):
    def comm_update(self, comm_id, state, buffer_paths=(), buffers=None):
        return self.send_shell("comm_msg", {"comm_id": comm_id, "data": {
            "method": "update", "state": state, "buffer_paths": list(buffer_paths)}}, buffers)

    def handled(self, msg_id):
        """Wait until the kernel handled shell message `msg_id`; returns the IOPub messages it caused."""
        self.idle_of(msg_id)
        return self.outputs_of(msg_id)

    def test_widgets_over_zeromq(self):
        # One kernel for both parts: starting a kernel costs several seconds.
        self.check_state_sync_echo_request_state_and_buffers()
        self.check_output_capture()
        self.check_interact_burst_and_progress_stop_button()

    def check_state_sync_echo_request_state_and_buffers(self):
        outputs = self.run_ok(LENS + """
            const s = new lens.IntSlider({ value: 3, max: 10, description: "k" });
            s.display();
            const seen: number[] = [];
            s.observe("value", (c) => { seen.push(c.new); });
            const img = new lens.Image({ value: new Uint8Array([1, 2, 3]) });
        """)
        models = opened_models(outputs)
        slider, image = models["IntSliderModel"], models["ImageModel"]
        [opened] = [m for m in outputs if m["msg_type"] == "comm_open" and m["content"]["comm_id"] == slider]
        self.assertEqual(opened["metadata"], {"version": "2.1.0"})
        self.assertEqual(opened["content"]["data"]["state"]["value"], 3)
        views = [m["content"]["data"] for m in outputs if m["msg_type"] == "display_data"]
        self.assertEqual(views[0]["application/vnd.jupyter.widget-view+json"],
                         {"version_major": 2, "version_minor": 1, "model_id": slider})

        msg_id = self.comm_update(slider, {"value": 7})
        sent = [m["content"]["data"] for m in self.handled(msg_id) if m["msg_type"] == "comm_msg"]
        self.assertEqual(sent, [{"method": "echo_update", "state": {"value": 7}, "buffer_paths": []}])
        self.assertEqual(self.result_of("s.value"), "7")
        self.assertEqual(self.result_of("seen"), "[ 7 ]")

        msg_id = self.comm_update(slider, {"value": 42})
        sent = [m["content"]["data"] for m in self.handled(msg_id) if m["msg_type"] == "comm_msg"]
        self.assertEqual(sent[-1], {"method": "update", "state": {"value": 10}, "buffer_paths": []})

        msg_id = self.send_shell("comm_msg", {"comm_id": slider, "data": {"method": "request_state"}})
        [full] = [m["content"]["data"] for m in self.handled(msg_id) if m["msg_type"] == "comm_msg"]
        self.assertEqual(full["method"], "update")
        self.assertEqual(full["state"]["_model_name"], "IntSliderModel")
        self.assertEqual(full["state"]["value"], 10)

        for junk in ({"method": "update", "state": "junk"}, {"method": "update", "state": {"value": "seven"}},
                     {"method": "explode"}, {"no": "method"}, {"method": "update", "state": {"value": 1}, "buffer_paths": [["x"]]}):
            self.handled(self.send_shell("comm_msg", {"comm_id": slider, "data": junk}))
        self.assertEqual(self.result_of("s.value"), "10", "malformed updates leave the state alone and the kernel running")

        payload = os.urandom(2 * 1024 * 1024)
        msg_id = self.comm_update(image, {}, [["value"]], [payload])
        self.handled(msg_id)
        self.assertEqual(self.result_of("img.value.length"), str(len(payload)))
        outputs = self.run_ok("img.value = img.value.map((b) => 255 - b);")
        [update] = [m for m in outputs if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == image]
        self.assertEqual(update["content"]["data"]["buffer_paths"], [["value"]])
        self.assertEqual(bytes(update["buffers"][0]), bytes(255 - b for b in payload))

    def check_output_capture(self):
        outputs = self.run_ok(LENS + """
            import * as tslab from "tslab";
            const out = new lens.Output();
            out.display();
            await out.capture(async () => {
              console.log("printed");
              await new Promise((r) => setTimeout(r, 5));
              tslab.display.html("<b>shown</b>");
            });
            out.flush();
        """)
        out = opened_models(outputs)["OutputModel"]
        self.assertEqual([m["msg_type"] for m in outputs if m["msg_type"] in ("stream", "display_data")], ["display_data"],
                         "only the Output widget itself is shown in the cell")
        update = [m for m in outputs if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == out][-1]
        self.assertEqual(update["content"]["data"]["state"]["outputs"], [
            {"output_type": "stream", "name": "stdout", "text": "printed\n"},
            {"output_type": "display_data", "data": {"text/html": "<b>shown</b>"}, "metadata": {}},
        ])

    def check_interact_burst_and_progress_stop_button(self):
        outputs = self.run_ok(LENS + """
            const runs: number[] = [];
            const ui = lens.interact(async ({ x }) => {
              runs.push(x);
              await new Promise((r) => setTimeout(r, 20));
              return x * 2;
            }, { x: new lens.IntSlider({ max: 100 }) });
            await ui.idle();
        """)
        slider = opened_models(outputs)["IntSliderModel"]
        ids = [self.comm_update(slider, {"value": i}) for i in range(1, 51)]
        for msg_id in ids:
            self.idle_of(msg_id)
        runs = self.result_of("await ui.idle(); runs")
        values = [int(v) for v in runs.strip("[] \n").split(",")]
        self.assertEqual(values[0], 0)
        self.assertLessEqual(len(values) - 1, 2, "a burst of 50 events re-runs at most twice: %s" % runs)
        self.assertEqual(values[-1], 50)
        self.assertEqual(self.result_of("ui.output.get('outputs')[0].data['text/plain']"), "'100'")

        cell = self.kc.execute(LENS + """
            const bar = lens.progress(1000, { description: "long" });
            for await (const i of bar) { await new Promise((r) => setTimeout(r, 10)); }
            bar.status
        """)
        button = self.wait_iopub(lambda m: m["msg_type"] == "comm_open"
                                 and m["content"]["data"]["state"]["_model_name"] == "ButtonModel"
                                 and m["parent_header"].get("msg_id") == cell)["content"]["comm_id"]
        time.sleep(0.5)
        clicked = time.monotonic()
        self.send_shell("comm_msg", {"comm_id": button, "data": {"method": "custom", "content": {"event": "click"}}})
        reply = self.wait_shell(lambda m: m["parent_header"].get("msg_id") == cell, timeout=15)
        self.assertLess(time.monotonic() - clicked, 1.0, "the Stop button ends the loop promptly")
        self.assertEqual(reply["content"]["status"], "ok")
        self.idle_of(cell)
        [result] = [m for m in self.outputs_of(cell) if m["msg_type"] == "execute_result"]
        self.assertEqual(result["content"]["data"]["text/plain"], "'stopped'")


if __name__ == "__main__":
    unittest.main(verbosity=2)
