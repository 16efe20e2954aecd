"""A long-lived PyTorch bench worker: `npm run bench -- <workload> --peers` starts one per thread
count and sends it JSON commands on stdin, one per line, interleaved with the convlens runners.

    python3 bench/peers/torch_peer.py --threads N [--device cpu|cuda]

Commands: {"op": "setup", "key": K, "name": PEER, "args": {...}} builds the case and runs it once
(warm-up); {"op": "run", "key": K} times one run (wall and process CPU time); {"op": "dispose", "key": K}; {"op": "exit"}.
Every reply is one line "BENCH> {json}" on stdout: {"ready", "label"} first, then {"ok", "warmMs"},
{"ms", "cpuMs"} or {"error"}. Other output goes to stderr.
"""
import argparse
import gc
import json
import sys
import time
import traceback

PREFIX = 'BENCH> '


def reply(out, obj):
    out.write(PREFIX + json.dumps(obj) + '\n')
    out.flush()


def settle(result, device):
    """Wait for the device and bring the result to the host, as convlens reads its result back."""
    tensors = result if isinstance(result, (list, tuple)) else [result]
    if device == 'cuda':
        import torch
        torch.cuda.synchronize()
    for t in tensors:
        t.detach().to('cpu')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--threads', type=int, required=True)
    parser.add_argument('--device', default='cpu', choices=['cpu', 'cuda'])
    opts = parser.parse_args()
    out = sys.stdout
    sys.stdout = sys.stderr  # stray prints must not mix with the replies
    try:
        import torch
        torch.set_num_threads(opts.threads)
        torch.set_num_interop_threads(1)
        if opts.device == 'cuda' and not torch.cuda.is_available():
            raise RuntimeError('torch.cuda.is_available() is False')
        from torch_workloads import PEERS
    except Exception as e:  # noqa: BLE001 - reported to the bench, which skips this contender
        reply(out, {'error': f'{type(e).__name__}: {e}'})
        return
    device_name = torch.cuda.get_device_name(0) if opts.device == 'cuda' else 'CPU'
    reply(out, {'ready': True, 'label': f'PyTorch {torch.__version__} {device_name}',
                'threads': torch.get_num_threads()})
    cases = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        cmd = json.loads(line)
        try:
            op = cmd['op']
            if op == 'exit':
                break
            if op == 'setup':
                if cmd['name'] not in PEERS:
                    raise KeyError(f"no PyTorch peer named {cmd['name']!r} (peers: {', '.join(PEERS)})")
                fn = PEERS[cmd['name']](device=opts.device, **cmd['args'])
                c0, t0 = time.process_time(), time.perf_counter()
                settle(fn(), opts.device)
                cases[cmd['key']] = fn
                reply(out, {'ok': True, 'warmMs': (time.perf_counter() - t0) * 1000, 'cpuMs': (time.process_time() - c0) * 1000})
            elif op == 'run':
                fn = cases[cmd['key']]
                c0, t0 = time.process_time(), time.perf_counter()
                settle(fn(), opts.device)
                reply(out, {'ms': (time.perf_counter() - t0) * 1000, 'cpuMs': (time.process_time() - c0) * 1000})
            elif op == 'dispose':
                cases.pop(cmd['key'], None)
                gc.collect()
                reply(out, {'ok': True})
            else:
                raise ValueError(f'unknown op {op!r}')
        except Exception as e:  # noqa: BLE001
            traceback.print_exc()
            reply(out, {'error': f'{type(e).__name__}: {e}'})


if __name__ == '__main__':
    main()
