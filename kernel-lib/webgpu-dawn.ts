/**
 * The one Dawn (npm `webgpu`) of this process: where it is, loading it, and the single GPU object
 * and device the webgpu backend computes on (made once per process, however often the backend
 * is started, so tests and kernels do not pile up devices).
 */
import * as path from 'path';
import { createRequire } from 'module';
import { processWide } from './core/process-wide';

/** The parts of a WebGPU adapter the backend needs. */
export interface DawnAdapter {
  info: Record<string, unknown>;
  features: { has(name: string): boolean };
  limits: Record<string, number>;
  requestDevice(descriptor: object): Promise<unknown>;
}

/** Dawn's GPU object (`navigator.gpu`). */
export interface DawnGpu {
  requestAdapter(options?: { powerPreference?: string }): Promise<DawnAdapter | null>;
}

/** The npm `webgpu` module: `create(flags)` makes a GPU object; `globals` are the WebGPU classes and constants. */
export interface DawnModule {
  create(flags: string[]): DawnGpu;
  globals: Record<string, unknown>;
}

/**
 * A Node `require` that bypasses bundlers' module registries; inside an ES-module bundle (the
 * GPU-machine bundle) there is no `__filename`, so it resolves from the running script.
 */
const nodeRequire = createRequire(typeof __filename === 'string' ? __filename : path.resolve(process.argv[1] ?? 'index.js'));

/** The entry file of the installed npm `webgpu` package. @throws when it is not installed. */
export function dawnEntry(): string {
  return nodeRequire.resolve('webgpu');
}

/**
 * Load Dawn. The package's entry is an ES module; where it cannot be required (jest's module
 * loader), its native addon is loaded directly: the entry only adds unmapping of buffers to
 * `device.destroy()`, which convlens never calls (its one device lives as long as the process).
 */
export function loadDawn(): DawnModule {
  try {
    return nodeRequire('webgpu') as DawnModule;
  } catch (e) {
    const platform = process.platform === 'darwin' ? 'darwin-universal' : `${process.platform}-${process.arch}`;
    try {
      return nodeRequire(path.join(path.dirname(dawnEntry()), 'dist', platform, 'dawn.node')) as DawnModule;
    } catch {
      throw e;
    }
  }
}

/** This process's one Dawn GPU object. */
export function dawnGpu(dawn: DawnModule): DawnGpu {
  return processWide('dawn-gpu', () => dawn.create([]));
}

/** The device the webgpu backend runs on, and its adapter's info. */
export interface DawnDevice {
  device: unknown;
  info: unknown;
}

/**
 * This process's one WebGPU device, requested the way tfjs-backend-webgpu 4.22 requests its own
 * (high-performance adapter; timestamp queries when offered; the adapter's limits for storage
 * and workgroups), so the backend behaves as it would with its own device.
 */
export function dawnDevice(gpu: DawnGpu): Promise<DawnDevice> {
  return processWide('dawn-device', async () => {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) throw new Error('Dawn found no GPU adapter in this process');
    const limits = adapter.limits;
    const device = await adapter.requestDevice({
      requiredFeatures: ['timestamp-query'].filter((f) => adapter.features.has(f)),
      requiredLimits: Object.fromEntries(
        ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup'].map((k) => [k, limits[k]]),
      ),
    });
    return { device, info: adapter.info };
  });
}
