import type { TslabTypescript } from './tslab-typescript';

type TimerFunction = (...args: unknown[]) => unknown;

/** One converter's timer slot, shared by all the compiler's timers. */
interface SharedSlot {
  /** The converter's own setTimeout / clearTimeout (one pending timer at most). */
  set: TimerFunction;
  clear: TimerFunction;
  /** The compiler's timers waiting to run, by the handle given to the compiler. */
  pending: Map<object, () => void>;
  /** The converter's one timer while any are pending. */
  slot?: unknown;
  running: boolean;
}

/**
 * Let tslab's converters share their one timer slot among the compiler's timers.
 *
 * tslab's converter (tslab/dist/converter.js) gives the TypeScript watch program a `setTimeout`
 * that holds one timer and throws "Unexpected pending rebuildTimer" on a second; it runs that
 * timer itself on every cell. The watch program has two timers: the program update (every cell)
 * and the re-resolution of failed imports, which a file appearing in the notebook folder starts
 * (e.g. `./helpers` imported before it was written). Once that one is pending, every later cell
 * failed to compile. This wraps the converter's pair (installed on the compiler's `sys`, which
 * the converter's `sys` inherits from, before any converter is created) so that the compiler's
 * timers wait in a queue behind one converter timer, which runs them all.
 */
export function shareConverterTimer(ts: TslabTypescript): void {
  const sys = ts.sys as unknown as Record<string, unknown>;
  const slots = new WeakMap<object, SharedSlot>();
  const slotOf = (owner: object): SharedSlot => {
    let slot = slots.get(owner);
    if (!slot) slots.set(owner, (slot = { set: () => undefined, clear: () => undefined, pending: new Map(), running: false }));
    return slot;
  };
  for (const name of ['setTimeout', 'clearTimeout'] as const) {
    const base = sys[name];
    Object.defineProperty(sys, name, {
      configurable: true,
      enumerable: true,
      get: () => base,
      // The converter assigns its own functions on an object whose prototype is `sys`: keep them
      // for the shared slot and give the object the sharing pair instead.
      set(this: object, value: TimerFunction) {
        const slot = slotOf(this);
        slot[name === 'setTimeout' ? 'set' : 'clear'] = value;
        Object.defineProperty(this, name, { configurable: true, enumerable: true, writable: true, value: sharing(slot)[name] });
      },
    });
  }
}

function sharing(slot: SharedSlot): { setTimeout: TimerFunction; clearTimeout: TimerFunction } {
  const runPending = () => {
    slot.running = true;
    try {
      // Timers may schedule more timers (re-resolution schedules an update): run until none is left.
      for (let next = slot.pending.entries().next(); !next.done; next = slot.pending.entries().next()) {
        const [handle, run] = next.value;
        slot.pending.delete(handle);
        run();
      }
    } finally {
      slot.running = false;
      slot.slot = undefined;
    }
  };
  return {
    setTimeout: (callback: unknown, ms: unknown, ...args: unknown[]) => {
      const handle = {};
      slot.pending.set(handle, () => (callback as TimerFunction)(...args));
      if (slot.slot === undefined && !slot.running) slot.slot = slot.set(runPending, ms);
      return handle;
    },
    clearTimeout: (handle: unknown) => {
      if (!slot.pending.delete(handle as object)) return;
      if (slot.pending.size === 0 && slot.slot !== undefined && !slot.running) {
        slot.clear(slot.slot);
        slot.slot = undefined;
      }
    },
  };
}
