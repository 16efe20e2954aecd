/**
 * What WebGPU adapter Dawn (npm `webgpu`) finds on this machine, asked in a child process, and
 * whether it is a software renderer (SwiftShader, lavapipe/llvmpipe, WARP) rather than a GPU.
 *
 * The probe runs in a child because Dawn prints its Vulkan warnings to stderr and can abort the
 * process on a broken driver: the child's stderr becomes the reason webgpu is skipped, and the
 * kernel never loads a driver it will not use.
 */
import { execFile } from 'child_process';
import { pathToFileURL } from 'url';
import { processWide } from './core/process-wide';

/** The adapter's identity as Dawn reports it (`GPUAdapter.info`). */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** Dawn's own flag for a CPU implementation (SwiftShader says so; others may not). */
  isFallbackAdapter: boolean;
}

/** What the probe found: an adapter, or why there is none. */
export type AdapterProbe = { ok: true; info: AdapterInfo } | { ok: false; reason: string };

/** Software renderers, by the words their adapter info carries. */
const SOFTWARE_RENDERERS: Array<[RegExp, string]> = [
  [/swiftshader/i, 'SwiftShader'],
  [/lavapipe/i, 'lavapipe'],
  [/llvmpipe/i, 'llvmpipe'],
  [/\bwarp\b|basic render/i, 'WARP'],
];

/**
 * The software renderer behind an adapter ('SwiftShader', 'lavapipe', 'llvmpipe', 'WARP', or
 * 'a fallback adapter' when only Dawn's flag says so), or undefined for a hardware GPU.
 */
export function softwareRenderer(info: AdapterInfo): string | undefined {
  const words = [info.vendor, info.architecture, info.device, info.description].join(' ');
  const known = SOFTWARE_RENDERERS.find(([pattern]) => pattern.test(words));
  if (known) return known[1];
  return info.isFallbackAdapter ? 'a fallback adapter' : undefined;
}

/** A short name of the adapter for the backend line, e.g. "google swiftshader (SwiftShader driver 5.0.0)". */
export function adapterName(info: AdapterInfo): string {
  const id = [info.vendor, info.architecture || info.device].filter(Boolean).join(' ');
  const name = [id, info.description && `(${info.description})`].filter(Boolean).join(' ');
  return name || 'unknown';
}

/** The child's script: loads Dawn from `argv[1]`, asks for an adapter, prints its info as JSON (or null). */
const PROBE_SCRIPT = `
import(process.argv[1]).then(async ({ create }) => {
  const adapter = await create([]).requestAdapter({ powerPreference: 'high-performance' });
  const i = adapter && adapter.info;
  process.stdout.write(JSON.stringify(i ? { vendor: i.vendor || '', architecture: i.architecture || '', device: i.device || '', description: i.description || '', isFallbackAdapter: Boolean(i.isFallbackAdapter) } : null));
  process.exit(0);
}, (e) => { process.stderr.write(String((e && e.message) || e)); process.exit(3); });
`;

/** The lines of Dawn's stderr worth showing: its warnings, without the C++ source locations. */
function dawnMessages(stderr: string): string {
  return stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('at '))
    .map((line) => line.replace(/^Warning: /, ''))
    .join('; ');
}

/**
 * Ask Dawn (the npm `webgpu` package at `dawnEntry`) in a child process which adapter it would
 * use. Resolves with the adapter's info, or with the reason there is none (the child's stderr).
 */
function probeInChild(dawnEntry: string): Promise<AdapterProbe> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', PROBE_SCRIPT, pathToFileURL(dawnEntry).href], { timeout: 60_000, windowsHide: true, env: process.env }, (error, stdout, stderr) => {
      const messages = dawnMessages(String(stderr));
      if (error) {
        const how = error.killed ? 'timed out after 60 s' : `exited with ${error.code ?? error.signal}`;
        resolve({ ok: false, reason: `Dawn's adapter probe ${how}${messages ? `: ${messages}` : ''}` });
        return;
      }
      try {
        const info = JSON.parse(String(stdout)) as AdapterInfo | null;
        resolve(info ? { ok: true, info } : { ok: false, reason: `Dawn found no GPU adapter${messages ? ` (${messages})` : ' (no GPU, or no Vulkan driver for it)'}` });
      } catch {
        resolve({ ok: false, reason: `Dawn's adapter probe printed no adapter info${messages ? `: ${messages}` : ''}` });
      }
    });
  });
}

/** The adapter Dawn (at `dawnEntry`) finds here, probed in a child process once per process and driver environment. */
export function probeAdapter(dawnEntry: string): Promise<AdapterProbe> {
  const env = process.env;
  const key = [dawnEntry, env.VK_ICD_FILENAMES, env.VK_DRIVER_FILES, env.LD_LIBRARY_PATH, env.XDG_RUNTIME_DIR].join('\n');
  const probes = processWide('webgpu-adapter-probes', () => new Map<string, Promise<AdapterProbe>>());
  let probe = probes.get(key);
  if (!probe) {
    probe = probeInChild(dawnEntry);
    probes.set(key, probe);
  }
  return probe;
}
