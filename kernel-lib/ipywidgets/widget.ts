/**
 * The kernel-side `Widget`: a model whose typed state is synchronised with its frontend
 * counterpart over a comm, following the Jupyter widgets message protocol 2.1.0.
 *
 * Subclassing (e.g. a custom view shipped in the `convlens` browser bundle):
 *
 * ```ts
 * interface FilterGridState extends DOMWidgetState {
 *   weights: Uint8Array;   // binary: sent as a buffer with buffer_paths [["weights"]]
 *   shape: number[];
 * }
 * class FilterGrid extends DOMWidget<FilterGridState> {
 *   constructor(weights: Uint8Array, shape: number[]) {
 *     super(
 *       modelIdentity({ module: 'convlens', version: '0.1.0' }, 'FilterGridModel', 'FilterGridView'),
 *       { weights, shape },
 *     );
 *     this.onMsg((content) => { ... }); // custom messages from the view
 *   }
 * }
 * ```
 * Override {@link Widget.coerce} to validate/clamp state, {@link Widget.echoes} to opt keys out of
 * `echo_update`, {@link Widget.reprKeys} for the text/plain fallback.
 */
import type { Buffers, Comm, CommMessage, CommTransport } from '../comm/comm-types';
import { toMimeBundle, type MimeBundle } from '../comm/mime-bundle';
import { publishDisplayData } from './output-capture';
import {
  isIdentityKey,
  WIDGET_PROTOCOL_VERSION,
  WIDGET_TARGET,
  WIDGET_VIEW_MIMETYPE,
  type ModelIdentity,
} from './protocol';
import { registerWidget, unregisterWidget, WIDGET_BRAND, isWidget, type RegisteredWidget } from './registry';
import { encodeState, isBinary, putBuffers, resolveRefs, type EncodedState } from './state-codec';
import { widgetTransport } from './transport';
import { sameValue } from './same-value';
import { checkIncomingValue } from './incoming';
import { isRecord, propertyOf } from '../core/checks';
import { previewValue } from '../core/preview';

/** One state change delivered to {@link Widget.observe} callbacks. */
export interface Change<S, K extends keyof S = keyof S> {
  /** The state key that changed. */
  name: K;
  /** Value before the change. */
  old: S[K];
  /** Value after the change. */
  new: S[K];
  /** Who made the change: kernel code (`set`) or the frontend (an `update` message). */
  source: 'kernel' | 'frontend';
  /** The widget whose state changed. */
  owner: Widget;
}

/** Options for creating a widget. */
export interface WidgetOptions {
  /** Comm id to use as model id (default: a fresh UUID). */
  modelId?: string;
  /** Transport to open the comm on (default: the live kernel's, else the offline one). */
  transport?: CommTransport;
  /** Child widgets created for this widget (e.g. its default layout); closed with it. */
  owns?: Widget[];
}

/** Callback for custom messages from the frontend: the `content` and the binary buffers. */
export type CustomMessageHandler = (content: unknown, buffers: DataView[]) => void | Promise<void>;

const echoEnabled = !/^(0|false|no|off)$/i.test(process.env.JUPYTER_WIDGETS_ECHO ?? '');

/**
 * Base class of every kernel-side widget model. `S` is the full model state (identity keys
 * included). Creating a widget opens its comm (`comm_open` with the full state); it is shown
 * with {@link Widget.display} and released with {@link Widget.close}.
 */
export class Widget<S extends ModelIdentity = ModelIdentity> implements RegisteredWidget {
  /** @internal Brand recognised by the registry and the state codec. */
  readonly [WIDGET_BRAND] = true as const;
  /** The model id (= comm id) the frontend knows this widget by. */
  readonly modelId: string;
  private state: S;
  private readonly comm: Comm;
  private readonly owned: Widget[];
  // Stored as (change: unknown) => void so a Widget<S> is a Widget (observers are called with this widget's changes only).
  private readonly observers = new Map<PropertyKey, Set<(change: unknown) => void>>();
  private readonly msgHandlers = new Set<CustomMessageHandler>();
  private readonly closeHandlers = new Set<() => void>();
  private isClosed = false;

  /**
   * Open a widget with the given full initial state (identity keys included).
   * Values may be JSON, other widgets (sent as references) or binary (sent as buffers).
   */
  constructor(state: S, options: WidgetOptions = {}) {
    this.owned = options.owns ?? [];
    try {
      this.state = this.coerce({ ...state }, Object.keys(state) as Array<keyof S>);
    } catch (e) {
      for (const child of this.owned) child.close(); // do not leave the layout/style made for us open
      throw e;
    }
    const transport = options.transport ?? widgetTransport();
    const enc = encodeState(this.state);
    this.comm = transport.open(
      WIDGET_TARGET,
      { state: enc.state, buffer_paths: enc.bufferPaths },
      enc.buffers,
      { version: WIDGET_PROTOCOL_VERSION },
      options.modelId,
    );
    this.modelId = this.comm.commId;
    this.comm.onMessage((msg) => this.handleMessage(msg));
    this.comm.onClose(() => this.teardown());
    registerWidget(this);
  }

  /** True once the widget was closed (from either side). */
  get closed(): boolean {
    return this.isClosed;
  }

  /** The current value of one state key. */
  get<K extends keyof S>(name: K): S[K] {
    return this.state[name];
  }

  /** A shallow copy of the whole state. */
  getState(): S {
    return { ...this.state };
  }

  /**
   * Change one or more state keys. The changed keys go to the frontend in one `update` message,
   * then observers run. Identity keys and unknown keys are rejected with an error.
   */
  set(patch: Partial<S>): this {
    for (const key of Object.keys(patch)) {
      if (!(key in this.state)) {
        throw new Error(`${this.constructor.name} has no state key "${key}"; keys: ${Object.keys(this.state).join(', ')}`);
      }
      if (isIdentityKey(key) && !sameValue(propertyOf(patch, key), propertyOf(this.state, key))) {
        throw new Error(`${this.constructor.name}.${key} is fixed at creation`);
      }
    }
    this.apply(patch, 'kernel');
    return this;
  }

  /**
   * Call `cb` after each change of `name` (a key, a list of keys, or `'*'` for all keys).
   * Returns a function that removes the observer.
   */
  observe<K extends keyof S>(name: K | readonly K[] | '*', cb: (change: Change<S, K>) => void): () => void {
    const names: PropertyKey[] = name === '*' ? ['*'] : isKeyList(name) ? [...name] : [name];
    for (const n of names) {
      if (n !== '*' && !(n in this.state)) {
        throw new Error(`${this.constructor.name} has no state key "${String(n)}"; keys: ${Object.keys(this.state).join(', ')}`);
      }
      let set = this.observers.get(n);
      if (!set) this.observers.set(n, (set = new Set()));
      set.add(cb as (change: unknown) => void);
    }
    return () => {
      for (const n of names) this.observers.get(n)?.delete(cb as (change: unknown) => void);
    };
  }

  /**
   * Show the widget in the current cell (or in the Output widget capturing output). Returns
   * nothing, like ipywidgets' `display`, so that a cell ending in `w.display()` shows it once.
   * (A widget that is a cell's last expression is shown too.)
   */
  display(): void {
    if (this.isClosed) throw new Error(`${this.constructor.name} ${this.modelId} is closed and cannot be displayed`);
    publishDisplayData(this.mimeBundle());
  }

  /** The MIME bundle that displays this widget (view JSON plus a text/plain fallback). */
  mimeBundle(): Record<string, unknown> {
    return {
      [WIDGET_VIEW_MIMETYPE]: { version_major: 2, version_minor: 1, model_id: this.modelId },
      'text/plain': this.toString(),
    };
  }

  /** How the kernel shows a widget that is a cell's last expression: as its view. */
  [toMimeBundle](): MimeBundle {
    return { data: this.mimeBundle(), metadata: {} };
  }

  /** Send a custom message (`method: "custom"`) with optional binary buffers to the frontend. */
  send(content: unknown, buffers: Buffers = []): void {
    if (this.isClosed) throw new Error(`${this.constructor.name} ${this.modelId} is closed; cannot send`);
    this.comm.send({ method: 'custom', content }, buffers);
  }

  /** Handle custom messages from the frontend. Returns a function that removes the handler. */
  onMsg(cb: CustomMessageHandler): () => void {
    this.msgHandlers.add(cb);
    return () => this.msgHandlers.delete(cb);
  }

  /** Run `cb` once when the widget closes (from either side). Returns a remover. */
  onClose(cb: () => void): () => void {
    this.closeHandlers.add(cb);
    return () => this.closeHandlers.delete(cb);
  }

  /** Close the comm (views disappear), the child widgets this widget created, and drop all observers. */
  close(): void {
    if (this.isClosed) return;
    this.comm.close();
    this.teardown();
  }

  /** Number of observers, custom-message and close handlers registered (for leak checks). */
  get listenerCount(): number {
    let n = this.msgHandlers.size + this.closeHandlers.size;
    for (const s of this.observers.values()) n += s.size;
    return n;
  }

  /** Full state encoded for the wire (used by `request_state` and `request_states`). */
  serializedState(): EncodedState {
    return encodeState(this.state);
  }

  /** Short description used as the text/plain fallback, e.g. `IntSlider(value=3, description='k')`. */
  toString(): string {
    const parts = this.reprKeys()
      .filter((k) => k in this.state)
      .map((k) => `${k}=${reprValue(propertyOf(this.state, k))}`);
    return `${this.constructor.name}(${parts.join(', ')})`;
  }

  /**
   * Validate and normalise a candidate state before it is stored (from `set`, from the
   * frontend, and at creation). `changed` lists the keys being set. Return the state to keep;
   * throw an Error naming the bad value to reject the change. The default accepts everything.
   */
  protected coerce(next: S, changed: ReadonlyArray<keyof S>): S {
    void changed;
    return next;
  }

  /** Whether frontend updates of `key` are echoed to all frontends (`echo_update`). Default: yes. */
  protected echoes(key: string): boolean {
    void key;
    return true;
  }

  /** Whether the frontend may set `key` to null. Default: when it is null now or commonly optional. */
  protected acceptsNull(key: string): boolean {
    return propertyOf(this.state, key) === null || ['tooltip', 'tabbable', 'index', 'selected_index', 'step'].includes(key);
  }

  /** Keys shown in the text/plain fallback. */
  protected reprKeys(): string[] {
    return ['value', 'description'];
  }

  private apply(patch: Partial<S>, source: 'kernel' | 'frontend', sentByFrontend?: Record<string, unknown>): void {
    const keys = Object.keys(patch) as Array<keyof S>;
    const next = this.coerce({ ...this.state, ...patch }, keys);
    const old = this.state;
    const changed = (Object.keys(next) as Array<keyof S>).filter((k) => !sameValue(next[k], old[k]));
    this.state = next;
    const toSend =
      source === 'kernel'
        ? changed
        : (Object.keys(next) as Array<keyof S>).filter(
            (k) => (k in sentByFrontend! && !sameValue(next[k], sentByFrontend![k as string])) || (changed.includes(k) && !(k in sentByFrontend!)),
          );
    if (toSend.length > 0 && !this.isClosed) this.sendUpdate(toSend);
    for (const k of changed) this.notify(k, { name: k, old: old[k], new: next[k], source, owner: this });
  }

  private notify(name: keyof S, change: unknown): void {
    const callbacks = [...(this.observers.get(name) ?? []), ...(this.observers.get('*') ?? [])];
    for (const cb of callbacks) {
      try {
        cb(change);
      } catch (e) {
        console.error(`${this.constructor.name} observer of "${String(name)}" failed:`, e);
      }
    }
  }

  private sendUpdate(keys: Array<keyof S>, method: 'update' | 'echo_update' = 'update', values: object = this.state): void {
    const subset: Record<string, unknown> = {};
    for (const k of keys) subset[k as string] = propertyOf(values, k);
    const enc = encodeState(subset);
    this.comm.send({ method, state: enc.state, buffer_paths: enc.bufferPaths }, enc.buffers);
  }

  private async handleMessage(msg: CommMessage): Promise<void> {
    try {
      const data = msg.data;
      if (!isRecord(data) || typeof data.method !== 'string') {
        throw new Error(`expected {method: "update" | "request_state" | "custom", ...}, got ${previewValue(data)}`);
      }
      if (data.method === 'update') this.handleFrontendUpdate(data, msg.buffers ?? []);
      else if (data.method === 'request_state') this.sendUpdate(Object.keys(this.state) as Array<keyof S>);
      else if (data.method === 'custom') {
        for (const h of [...this.msgHandlers]) await h(data.content, msg.buffers ?? []);
      } else throw new Error(`unknown method "${data.method}"; expected "update", "request_state" or "custom"`);
    } catch (e) {
      console.error(`${this.constructor.name} ${this.modelId}: bad message from the frontend: ${(e as Error).message}`);
    }
  }

  private handleFrontendUpdate(data: Record<string, unknown>, buffers: DataView[]): void {
    if (!isRecord(data.state)) {
      throw new Error(`update needs a "state" object, got ${previewValue(data.state)}`);
    }
    const raw: Record<string, unknown> = { ...data.state };
    putBuffers(raw, data.buffer_paths, buffers);
    const accepted: Record<string, unknown> = {};
    const rejected: string[] = [];
    for (const [key, value] of Object.entries(raw)) {
      if (!(key in this.state) || isIdentityKey(key)) {
        console.error(`${this.constructor.name}: ignoring frontend update of unknown or fixed key "${key}"`);
        continue;
      }
      const problem = this.checkIncoming(key, value);
      if (typeof problem === 'string') {
        console.error(`${this.constructor.name}: rejected frontend value for "${key}": ${problem}`);
        rejected.push(key);
      } else accepted[key] = problem.value;
    }
    const echoKeys = Object.keys(accepted).filter((k) => this.echoes(k));
    if (echoEnabled && echoKeys.length > 0) this.sendUpdate(echoKeys as Array<keyof S>, 'echo_update', raw);
    try {
      if (Object.keys(accepted).length > 0) this.apply(accepted as Partial<S>, 'frontend', accepted);
    } catch (e) {
      rejected.push(...Object.keys(accepted));
      console.error(`${this.constructor.name}: rejected frontend update: ${(e as Error).message}`);
    }
    // Tell the frontend the kernel's value for whatever it could not accept.
    if (rejected.length > 0 && !this.isClosed) this.sendUpdate(rejected as Array<keyof S>);
  }

  private checkIncoming(key: string, value: unknown): { value: unknown } | string {
    const current = propertyOf(this.state, key);
    let v = value;
    if (typeof v === 'string' || Array.isArray(v)) {
      if (isWidget(current) || (Array.isArray(current) && (current.length === 0 || current.some(isWidget)))) {
        try {
          v = resolveRefs(v);
        } catch (e) {
          return (e as Error).message;
        }
      }
    }
    if (v === null) return this.acceptsNull(key) ? { value: null } : `null is not allowed (current value ${reprValue(current)})`;
    if (v instanceof DataView && current instanceof Uint8Array) v = new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
    return checkIncomingValue(current, v);
  }

  private teardown(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    unregisterWidget(this.modelId);
    for (const cb of [...this.closeHandlers]) {
      try {
        cb();
      } catch (e) {
        console.error(`${this.constructor.name} close handler failed:`, e);
      }
    }
    this.closeHandlers.clear();
    this.observers.clear();
    this.msgHandlers.clear();
    for (const child of this.owned) child.close();
  }
}

function reprValue(v: unknown): string {
  if (isWidget(v)) return `${v.constructor.name}(...)`;
  if (Array.isArray(v) && v.some(isWidget)) return `[${v.map(reprValue).join(', ')}]`;
  if (isBinary(v)) return `<${v.byteLength} bytes>`;
  if (typeof v === 'string') return `'${v.length > 40 ? v.slice(0, 40) + '…' : v}'`;
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 60) + '…' : s;
}

function isKeyList<K>(name: K | readonly K[] | '*'): name is readonly K[] {
  return Array.isArray(name);
}
