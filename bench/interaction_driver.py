"""Slider-to-redraw latency of convlens' attribution widgets through the live kernel
(`npm run bench -- interaction`, which installs the kernelspec and runs this with /usr/bin/python3).

jupyter_client plays the frontend: one convlens kernel per backend variant (all started at once),
an OcclusionExplorer and an AttributionView per image size in each, then rounds in which every
kernel gets one interaction per widget, the kernel order rotating. One interaction is a comm
`update` like a frontend sends when a control moves (the patch-size slider of the explorer, the
class dropdown of the view), timed from sending it until the kernel's state `update` that carries
the new map (`heatmap`, `panels`) arrives; then the driver waits for `busy: false` and a pause.

Input: one JSON argument {"variants": [{"name", "env"}], "sizes": [...], "reps": N, "budget": S}.
Output: one line "BENCH> {json}" with the kernels' backend lines and every time, on stdout.
"""
import json
import os
import sys
import time
from queue import Empty

from jupyter_client.manager import KernelManager

PREFIX = 'BENCH> '
TIMEOUT = 600

SETUP = {
    28: 'await lens.loadModel("fashion-cnn")',
    64: 'await lens.loadModel("shapes-cnn")',
    # the shapes-cnn architecture at 224 px (its shipped topology with a 224 px input, untrained)
    224: '''await (async () => {
        const topology = JSON.parse(JSON.stringify((await lens.loadModel("shapes-cnn")).toJSON(null, false)));
        topology.config.layers[0].config.batch_input_shape = [null, 224, 224, 3];
        return await tf.models.modelFromJSON({ modelTopology: topology }) as lens.tf.LayersModel;
    })()''',
}

WIDGETS = {
    # widget -> (model name, the control moved, the state key of the new map)
    'OcclusionExplorer': ('OcclusionExplorerModel', 'patch_size', 'heatmap'),
    'AttributionView': ('AttributionModel', 'class_index', 'panels'),
}


def log(*args):
    print(*args, file=sys.stderr, flush=True)


class Kernel:
    """A convlens kernel with a jupyter_client connection, its IOPub messages kept in a list."""

    def __init__(self, name, env):
        self.name = name
        self.km = KernelManager(kernel_name='convlens')
        self.km.start_kernel(env={**os.environ, **env})
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)
        self.widgets = {}  # (size, widget) -> comm_id
        self.state = {}  # comm_id -> [next value of its control, the one after]
        self.skipped = None
        self.backend = None

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=False)

    def iopub(self, predicate, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f'{self.name}: no matching message within {timeout} s')
            try:
                msg = self.kc.get_iopub_msg(timeout=min(left, 1))
            except Empty:
                continue
            if predicate(msg):
                return msg

    def execute(self, code):
        """Run a cell; returns (status, error text, its IOPub messages)."""
        msg_id = self.kc.execute(code)
        seen = []
        self.iopub(lambda m: m['parent_header'].get('msg_id') == msg_id and (seen.append(m) or (
            m['msg_type'] == 'status' and m['content']['execution_state'] == 'idle')))
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        while reply['parent_header'].get('msg_id') != msg_id:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        error = next((m['content'] for m in seen if m['msg_type'] == 'error'), None)
        text = f"{error['ename']}: {error['evalue']}" if error else ''
        return reply['content']['status'], text, seen

    def update(self, comm_id, state):
        msg = self.kc.session.msg('comm_msg', {'comm_id': comm_id, 'data': {'method': 'update', 'state': state, 'buffer_paths': []}})
        self.kc.session.send(self.kc.shell_channel.socket, msg)


def carries(msg, comm_id, key):
    """True if `msg` is the kernel's state update of `comm_id` that sets `key`."""
    if msg['msg_type'] != 'comm_msg' or msg['content'].get('comm_id') != comm_id:
        return False
    data = msg['content']['data']
    return data.get('method') == 'update' and (key in data.get('state', {}) or [key] in data.get('buffer_paths', []))


def set_up(kernel, sizes):
    status, error, outputs = kernel.execute('import * as lens from "convlens";\nconst tf = lens.tf;\nconst info = await lens.initBackend({ log: false });\n'
                                            '`${info.name} (${Object.entries(info.details).map(([k, v]) => `${k}: ${v}`).join(", ")})`')
    if status != 'ok':
        kernel.skipped = error or status
        return
    result = next(m for m in outputs if m['msg_type'] == 'execute_result')
    kernel.backend = result['content']['data']['text/plain'].strip("'\"")
    for size in sizes:
        status, error, outputs = kernel.execute(f"""
            const model{size} = {SETUP[size]};
            const image{size} = tf.randomUniform([{size}, {size}, model{size}.inputs[0].shape[3]], 0, 1, 'float32', {size});
            const occ{size} = await lens.occlusionExplorer(model{size}, image{size});
            const att{size} = await lens.attributionView(model{size}, image{size});
            await occ{size}.ready();
            await att{size}.ready();
        """)
        if status != 'ok':
            kernel.skipped = f'{size} px set-up failed: {error or status}'
            return
        opened = {m['content']['data']['state']['_model_name']: m['content']['comm_id']
                  for m in outputs if m['msg_type'] == 'comm_open'}
        for widget, (model_name, control, _key) in WIDGETS.items():
            comm = opened[model_name]
            kernel.widgets[(size, widget)] = comm
            name = f'{"occ" if widget == "OcclusionExplorer" else "att"}{size}'
            top = f'{name}.get("patch_max")' if control == 'patch_size' else f'{name}.get("class_labels").length - 1'
            status, error, outputs = kernel.execute(f'JSON.stringify([{name}.get("{control}"), {top}])')
            value, highest = json.loads(next(m for m in outputs if m['msg_type'] == 'execute_result')['content']['data']['text/plain'].strip("'"))
            # the control moves between its initial value and the next one (two real recomputations)
            kernel.state[comm] = [value, value + 1 if value < highest else value - 1]


def interact(kernel, size, widget):
    """Move the widget's control once; returns ms from the update sent to the new map received."""
    comm = kernel.widgets[(size, widget)]
    _model, control, key = WIDGETS[widget]
    value = kernel.state[comm][1]
    kernel.state[comm].reverse()
    t0 = time.perf_counter()
    kernel.update(comm, {control: value})
    kernel.iopub(lambda m: carries(m, comm, key))
    ms = (time.perf_counter() - t0) * 1000
    kernel.iopub(lambda m: carries(m, comm, 'busy') and m['content']['data']['state']['busy'] is False)
    time.sleep(0.1)  # a pause, as between two moves of a hand (the kernel coalesces faster bursts)
    return ms


def main():
    config = json.loads(sys.argv[1])
    sizes = [int(s) for s in config['sizes']]
    kernels = []
    try:
        for v in config['variants']:
            log(f"# starting a kernel: {v['name']}")
            kernels.append(Kernel(v['name'], v['env']))
        for k in kernels:
            log(f'# {k.name}: setting up widgets at {sizes} px')
            set_up(k, sizes)
            log(f'# {k.name}: {k.skipped and "skipped (" + k.skipped + ")" or k.backend}')
        live = [k for k in kernels if not k.skipped]
        times = {(k.name, s, w): [] for k in live for s in sizes for w in WIDGETS}
        spent = {key: 0.0 for key in times}
        warm_only = []
        for k in live:  # warm-up: one interaction per widget, untimed
            for s in sizes:
                for w in WIDGETS:
                    ms = interact(k, s, w)
                    if ms > config['budget'] * 1000:
                        # slower than the whole budget (the cpu backend at 224 px): that is its figure
                        times[(k.name, s, w)].append(ms)
                        warm_only.append([k.name, s, w])
        for r in range(config['reps']):
            for i in range(len(live)):
                k = live[(i + r) % len(live)]
                for s in sizes:
                    for w in WIDGETS:
                        key = (k.name, s, w)
                        n = len(times[key])
                        if [k.name, s, w] in warm_only or (n and spent[key] + spent[key] / n > config['budget'] * 1000):
                            continue
                        ms = interact(k, s, w)
                        times[key].append(ms)
                        spent[key] += ms
            log(f'# round {r + 1} of {config["reps"]} done')
        print(PREFIX + json.dumps({
            'kernels': [{'name': k.name, 'backend': k.backend, 'skipped': k.skipped} for k in kernels],
            'times': [{'kernel': k, 'size': s, 'widget': w, 'ms': t, 'warmOnly': [k, s, w] in warm_only}
                      for (k, s, w), t in times.items()],
        }), flush=True)
    finally:
        for k in kernels:
            k.close()


if __name__ == '__main__':
    main()
