import { initBackend, parseBackendName, BACKEND_NAMES, backendReport, describeBackend, summarizeBackend, type BackendInfo, type BackendName } from '../../kernel-lib/backend';
import { adapterName, probeAdapter, softwareRenderer, type AdapterInfo } from '../../kernel-lib/webgpu-adapter';
import { dawnEntry } from '../../kernel-lib/webgpu-dawn';
import { swiftShaderEnv } from '../support/swiftshader';
import * as path from 'path';
import { tf } from '../../kernel-lib/tf';

describe('initBackend', () => {
  it('picks a working backend, says why, and is idempotent', async () => {
    const info = await initBackend({ log: false });
    expect(BACKEND_NAMES).toContain(info.name);
    expect(tf.getBackend()).toBe(info.tfBackend);
    expect(info.reason.length).toBeGreaterThan(0);
    expect(await initBackend({ log: false })).toBe(info);
    const forced = process.env.CONVLENS_BACKEND;
    if (forced) {
      expect(info.name).toBe(forced);
      expect(info.reason).toMatch(/forced/);
    } else {
      // This machine has no GPU and no tfjs-node: every faster backend must be skipped with a reason.
      const order = BACKEND_NAMES.slice(0, BACKEND_NAMES.indexOf(info.name));
      expect(info.skipped.map((s) => s.name)).toEqual(order);
      for (const s of info.skipped) expect(s.reason).toMatch(/\w{4,}/);
    }
    expect(describeBackend(info)).toContain(`backend ${info.name}`);
    // What initBackend prints is one short line; the skipped backends' reasons are in the report.
    const line = summarizeBackend(info);
    expect(line).toContain(`backend ${info.name}`);
    for (const s of info.skipped) {
      expect(line).not.toContain(s.reason);
      expect(await backendReport()).toContain(`${s.name} skipped (${s.reason})`);
    }
    if (info.skipped.length) expect(line).toContain(`${info.skipped.length} faster`);
    // The chosen backend really computes.
    const y = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])));
    expect((await y.data())[0]).toBe(11);
    y.dispose();
  });

  it('reports what each backend is: wasm SIMD and threads (with why it is 1), the WebGPU adapter, the tfjs-node package, nothing more for cpu', async () => {
    const expected: Record<BackendName, (d: BackendInfo['details']) => void> = {
      'tfjs-node-gpu': (d) => expect(d).toEqual({ package: '@tensorflow/tfjs-node-gpu' }),
      'tfjs-node': (d) => expect(d).toEqual({ package: '@tensorflow/tfjs-node' }),
      webgpu: (d) => {
        expect(typeof d.adapter).toBe('string');
        // Only a forced webgpu runs on a software adapter, and then it says so.
        if (d.software !== undefined) expect(d.software).toMatch(/^(SwiftShader|lavapipe|llvmpipe|WARP|a fallback adapter): a CPU renderer, slower than wasm/);
      },
      wasm: (d) => {
        expect(Object.keys(d).sort()).toEqual(['simd', 'single-threaded', 'threads']);
        expect(typeof d.simd).toBe('boolean');
        expect(d.threads).toBe(1); // test/setup-env.ts: CONVLENS_WASM_THREADS=1
        expect(typeof d['single-threaded']).toBe('string');
      },
      cpu: (d) => expect(d).toEqual({}),
    };
    const info = await initBackend({ log: false });
    expected[info.name](info.details); // the backend this run uses, whichever it is
    // wasm and cpu run everywhere: check both, whatever the default is here.
    try {
      let firstWasm = info.name === 'wasm' ? info : undefined;
      for (const name of ['wasm', 'cpu'] as const) {
        const forced = await initBackend({ backend: name, log: false });
        expect(forced.name).toBe(name);
        expected[name](forced.details);
        if (name === 'wasm') firstWasm ??= forced;
      }
      // The first start of wasm in this process says why it runs on one thread.
      expect(firstWasm?.details['single-threaded']).toBe('CONVLENS_WASM_THREADS = 1');
      expect(describeBackend(firstWasm!)).toMatch(/threads: 1, single-threaded: CONVLENS_WASM_THREADS = 1/);
    } finally {
      await initBackend({ log: false });
    }
  });

  it('uses one tfjs-core instance for tfjs, the wasm and the webgpu backends', () => {
    const core = (from: string) => require.resolve('@tensorflow/tfjs-core', { paths: [path.dirname(require.resolve(from))] });
    const theOne = core('@tensorflow/tfjs');
    expect(core('@tensorflow/tfjs-backend-wasm')).toBe(theOne);
    expect(core('@tensorflow/tfjs-backend-webgpu')).toBe(theOne);
  });

  it('keeps the cpu backend quiet (no tfjs "Hi, looks like you are running TensorFlow.js in Node.js" banner)', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await initBackend({ backend: 'cpu', log: false });
      const y = tf.add(tf.tensor1d([1, 2]), 1);
      await y.data();
      y.dispose();
      expect(warn.mock.calls.map((c) => String(c[0])).filter((m) => /looks like you are running/.test(m))).toEqual([]);
    } finally {
      warn.mockRestore();
      await initBackend({ log: false });
    }
  });

  it('rejects an unknown backend name, listing the valid names', () => {
    expect(() => parseBackendName('cuda')).toThrow(/Unknown backend "cuda".*tfjs-node-gpu, tfjs-node, webgpu, wasm, cpu/);
    expect(parseBackendName(' WASM ')).toBe('wasm');
    expect(parseBackendName('auto')).toBeUndefined();
  });

  it('fails clearly when a forced backend is unavailable', async () => {
    await expect(initBackend({ backend: 'tfjs-node-gpu', log: false })).rejects.toThrow(/not available here: tfjs-node-gpu: .*not installed/);
    // the failed attempt leaves the previous choice working
    const info = await initBackend({ log: false });
    expect(tf.getBackend()).toBe(info.tfBackend);
  });

  it('never picks a software WebGPU adapter by itself: with SwiftShader visible it stays on wasm and names the adapter it skipped', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, swiftShaderEnv());
    delete process.env.CONVLENS_BACKEND;
    try {
      let fresh: typeof import('../../kernel-lib/backend') | undefined;
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy of the module, with no choice made yet
        fresh = require('../../kernel-lib/backend') as typeof import('../../kernel-lib/backend');
      });
      const info = await fresh!.initBackend({ log: false });
      expect(info.name).toBe('wasm');
      const webgpu = info.skipped.find((s) => s.name === 'webgpu');
      expect(webgpu?.reason).toMatch(/^software adapter SwiftShader, slower than wasm \(google swiftshader \(SwiftShader driver [\d.]+\); CONVLENS_BACKEND=webgpu uses it\)$/);
      expect(fresh!.describeBackend(info)).toContain('webgpu skipped (software adapter SwiftShader, slower than wasm');
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
      await initBackend({ log: false });
    }
  });
});

describe('WebGPU adapters', () => {
  const info = (over: Partial<AdapterInfo>): AdapterInfo => ({ vendor: '', architecture: '', device: '', description: '', isFallbackAdapter: false, ...over });

  it('tells software renderers from GPUs by what the adapter says', () => {
    const cases: Array<[Partial<AdapterInfo>, string | undefined]> = [
      // What Dawn reports for Chromium's SwiftShader (probed on this machine).
      [{ vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0', isFallbackAdapter: true }, 'SwiftShader'],
      [{ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }, 'llvmpipe'],
      [{ vendor: 'mesa', device: 'lavapipe' }, 'lavapipe'],
      [{ vendor: 'microsoft', description: 'Microsoft Basic Render Driver' }, 'WARP'],
      [{ vendor: 'microsoft', architecture: 'warp' }, 'WARP'],
      [{ vendor: 'unknown', isFallbackAdapter: true }, 'a fallback adapter'],
      [{ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' }, undefined],
      [{ vendor: 'apple', architecture: 'metal-3', description: 'Apple M2' }, undefined],
      [{ vendor: 'amd', architecture: 'rdna-3', description: 'Warped Radeon (test name)' }, undefined],
    ];
    for (const [over, expected] of cases) expect(softwareRenderer(info(over))).toBe(expected);
    expect(adapterName(info({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' }))).toBe('nvidia hopper (NVIDIA H200)');
    expect(adapterName(info({}))).toBe('unknown');
  });

  it('probes in a child process: without a Vulkan driver the reason is what Dawn printed', async () => {
    const saved = { ...process.env };
    process.env.VK_ICD_FILENAMES = path.join(__dirname, 'no-such-icd.json');
    try {
      const probe = await probeAdapter(dawnEntry());
      expect(probe.ok).toBe(false);
      if (!probe.ok) expect(probe.reason).toMatch(/^Dawn found no GPU adapter \(.*(Vulkan|vkCreateInstance|drivers)/);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
});
