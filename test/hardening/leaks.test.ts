/**
 * Every function and class exported from the package root is leak-free on success and on failure:
 * a table-driven test over the whole public surface (test/hardening/public-surface.ts), each call
 * repeated, with `tf.memory().numTensors` and the open widget comms unchanged afterwards (a warm-up
 * call first, for what a backend creates once). Failures include a Stop mid-run for long calls.
 * An export without an entry in the table fails the first test.
 */
import { tf } from '../../kernel-lib/tf';
import type { OfflineTransport } from '../../kernel-lib/comm/offline-transport';
import { setupBackend } from '../techniques/models';
import { freshTransport } from '../widgets-kernel/frontend';
import { disposeFixtures, exportedCallables, makeFixtures, release, SURFACE, type Fixtures } from './public-surface';

/** Calls per case: 10 in CI (a leak of one tensor per call shows after one); CONVLENS_LEAK_CALLS=100 is the stress run. */
const CALLS = Number(process.env.CONVLENS_LEAK_CALLS ?? 10);

let f: Fixtures;
let transport: OfflineTransport;
beforeAll(async () => {
  await setupBackend();
  transport = freshTransport();
  f = await makeFixtures();
});
afterAll(() => disposeFixtures(f));

test('every exported function and class has an entry, and every entry an export', () => {
  const exported = exportedCallables();
  expect(exported.filter((name) => !(name in SURFACE))).toEqual([]);
  expect(Object.keys(SURFACE).filter((name) => !exported.includes(name))).toEqual([]);
  expect(Object.entries(SURFACE).filter(([, e]) => !(e.ok && e.fails) && !e.why).map(([name]) => name)).toEqual([]);
});

/** Tensors and open comms now. */
const footprint = () => ({ tensors: tf.memory().numTensors, comms: transport.openCommIds().length });

const cases = exportedCallables().filter((name) => name in SURFACE);

describe.each(cases)('%s', (name) => {
  const entry = SURFACE[name];
  const ok = entry.ok;
  const fails = entry.fails;

  if (ok) test('leaves nothing behind when it succeeds', async () => {
    release(await ok(f)); // warm-up
    const before = footprint();
    for (let i = 0; i < CALLS; i++) release(await ok(f));
    expect(footprint()).toEqual(before);
  });

  if (fails) test('leaves nothing behind when it fails', async () => {
    const attempt = () => Promise.resolve().then(() => fails(f));
    await expect(attempt()).rejects.toThrow(); // warm-up, and it does fail
    const before = footprint();
    for (let i = 0; i < CALLS; i++) await attempt().then(release, () => undefined);
    expect(footprint()).toEqual(before);
  });
});
