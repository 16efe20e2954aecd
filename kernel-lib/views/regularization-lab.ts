/**
 * The RegularizationLab widget (view: widgets/regularization-lab.ts): gradient ascent on the input
 * running on the kernel while the page redraws the image every few steps. Sliders for every
 * regularizer of Yosinski et al. (L2 decay, blur σ and interval, norm and contribution clipping),
 * total variation, jitter, learning rate, steps and octaves; an objective picker (class, unit of a
 * layer, whole layer); Start / Stop / Reset; snapshots (image + settings + final score) to compare
 * side by side; export of the run as an animated GIF or a PNG strip. A slider moved mid-run applies
 * from the next step (the loop reads the settings before every step). Steps are L1-normalised
 * (each pixel moves by about lr a step, whatever the objective's scale). The objective, the
 * parameterization and the octaves apply from the next Start. Tensors live only while a run does
 * (the image between runs is kept by its parameterization, freed on Reset and close).
 */
import { tf } from '../tf';
import type { DOMWidgetState } from '../widgets/dom-widget';
import type { WidgetOptions } from '../widgets/widget';
import { DOMWidget } from '../widgets/dom-widget';
import { checkInteger, checkModel, checkNumber, describeValue } from '../techniques/inputs';
import { allLayers, hasSpatialOutput } from '../techniques/layer-lookup';
import { modelClassNames } from '../techniques/target';
import { channel, classLogit, layerL2, type Objective } from '../techniques/feature-vis/objectives';
import { modelInputShape, makeParam, optimizeImage } from '../techniques/feature-vis/optimize';
import type { ImageParam } from '../techniques/feature-vis/param';
import { blur, clipContribution, clipNorm, clipRange, l2Decay, tvStep, type Regularizer } from '../techniques/feature-vis/regularizers';
import { fitImages, jitter, type Transform } from '../techniques/feature-vis/transforms';
import { octaveSizes } from '../techniques/feature-vis/presets/deep-dream';
import { framesToGif, framesToPngStrip } from './animation-export';
import { convlensIdentity } from './convlens-module';

/** What the lab maximises. */
export type LabObjectiveKind = 'class' | 'unit' | 'layer';

/** The settings the sliders control (state keys of the widget). */
export interface LabSettings {
  objective_kind: LabObjectiveKind;
  class_index: number;
  layer: string;
  unit_index: number;
  param: 'pixels' | 'fourier';
  steps: number;
  lr: number;
  decay: number;
  blur_sigma: number;
  blur_every: number;
  norm_percentile: number;
  contribution_percentile: number;
  tv: number;
  jitter: number;
  clip: boolean;
  octaves: number;
  octave_scale: number;
}

/** RegularizationLabModel state. */
export interface RegularizationLabState extends DOMWidgetState, LabSettings {
  /** RGBA bytes of the current image, shape `[1, H, W]`. */
  image: Uint8Array;
  image_shape: number[];
  class_labels: string[];
  /** Layers with outputs a unit can be picked from, and their channel counts. */
  layer_options: string[];
  layer_units: number[];
  running: boolean;
  /** Step of the image shown, and the objective there. */
  step: number;
  score: number;
  /** Frames drawn in the current run. */
  frames: number;
  /** Steps between redraws. */
  draw_every: number;
  /** Snapshots: RGBA stack `[n, H, W]` and one caption each (settings, final score). */
  snapshots: Uint8Array;
  snapshot_shape: number[];
  snapshot_labels: string[];
  error: string;
  display_size: number;
}

/** Options of {@link regularizationLab}. */
export interface RegularizationLabOptions extends Partial<Pick<LabSettings, Exclude<keyof LabSettings, 'objective_kind'>>> {
  /** What to maximise first (default 'class'). */
  objective?: LabObjectiveKind;
  /** Class names (default: the model's). */
  classNames?: string[];
  /** Per-channel mean of the zero image (default 0.5). */
  mean?: number | number[];
  /** Valid input range (default [0, 1]). */
  range?: [number, number];
  /** Steps between redraws (default: steps / 25, at least 1). */
  drawEvery?: number;
  /** Displayed image size in CSS pixels (default 256). */
  displaySize?: number;
  /** Seed of the noise start and the jitter. */
  seed?: number;
}

const SETTING_KEYS: Array<keyof LabSettings> = [
  'objective_kind', 'class_index', 'layer', 'unit_index', 'param', 'steps', 'lr', 'decay', 'blur_sigma', 'blur_every',
  'norm_percentile', 'contribution_percentile', 'tv', 'jitter', 'clip', 'octaves', 'octave_scale',
];

/** RGBA bytes of the first image of `images` `[B, H, W, C]` clipped to `range` (async read, no tensors left). */
async function rgbaOf(images: tf.Tensor4D, range: [number, number]): Promise<Uint8Array> {
  const bytes = tf.tidy(() => {
    const x = images.slice([0, 0, 0, 0], [1, -1, -1, -1]).squeeze([0]) as tf.Tensor3D;
    const unit = tf.clipByValue(tf.div(tf.sub(x, range[0]), range[1] - range[0]), 0, 1);
    const rgb = x.shape[2] === 1 ? tf.tile(unit, [1, 1, 3]) : unit.slice([0, 0, 0], [-1, -1, 3]);
    return tf.cast(tf.round(tf.mul(tf.concat([rgb, tf.onesLike(rgb.slice([0, 0, 0], [-1, -1, 1]))], 2), 255)), 'int32');
  });
  try {
    return Uint8Array.from(await bytes.data());
  } finally {
    bytes.dispose();
  }
}

/** The RegularizationLab widget; build it with {@link regularizationLab}. */
export class RegularizationLab extends DOMWidget<RegularizationLabState> {
  private param: ImageParam | undefined;
  private controller: AbortController | undefined;
  private running: Promise<void> | undefined;
  private frameList: Uint8Array[] = [];
  private readonly range: [number, number];
  private readonly mean: number | number[] | undefined;
  private readonly seed: number | undefined;
  private readonly size: [number, number, number];
  private runs = 0;

  constructor(private readonly model: tf.LayersModel, opts: RegularizationLabOptions = {}, options: WidgetOptions = {}) {
    checkModel(model);
    const [h, w, c] = modelInputShape(model);
    if (h === null || w === null) throw new Error('regularizationLab needs a model with a fixed input size');
    const numClasses = (model.outputs[0].shape as number[])[1];
    const names = opts.classNames ?? modelClassNames(model) ?? Array.from({ length: numClasses }, (_, i) => `class ${i}`);
    const layers = allLayers(model).filter((l) => !(l instanceof tf.LayersModel) && (hasSpatialOutput(l) || (Array.isArray(l.outputShape) && l.outputShape.length === 2)) && l.getClassName() !== 'InputLayer');
    const units = layers.map((l) => (l.outputShape as number[])[(l.outputShape as number[]).length - 1]);
    const spatial = layers.filter(hasSpatialOutput);
    const layer = opts.layer ?? spatial[spatial.length - 1]?.name ?? layers[0]?.name ?? '';
    const steps = opts.steps ?? 200;
    super(
      convlensIdentity('RegularizationLab'),
      {
        objective_kind: opts.objective ?? 'class',
        class_index: opts.class_index ?? 0,
        layer,
        unit_index: opts.unit_index ?? 0,
        param: opts.param ?? 'pixels',
        steps,
        lr: opts.lr ?? 0.02,
        decay: opts.decay ?? 0.0001,
        blur_sigma: opts.blur_sigma ?? 0.5,
        blur_every: opts.blur_every ?? 4,
        norm_percentile: opts.norm_percentile ?? 0,
        contribution_percentile: opts.contribution_percentile ?? 0,
        tv: opts.tv ?? 0,
        jitter: opts.jitter ?? 2,
        clip: opts.clip ?? true,
        octaves: opts.octaves ?? 1,
        octave_scale: opts.octave_scale ?? 1.4,
        image: new Uint8Array(h * w * 4),
        image_shape: [1, h, w],
        class_labels: names.map(String),
        layer_options: layers.map((l) => l.name),
        layer_units: units,
        running: false,
        step: 0,
        score: 0,
        frames: 0,
        draw_every: opts.drawEvery ?? Math.max(1, Math.floor(steps / 25)),
        snapshots: new Uint8Array(0),
        snapshot_shape: [0, h, w],
        snapshot_labels: [],
        error: '',
        display_size: opts.displaySize ?? 256,
      },
      options,
    );
    this.size = [h, w, c];
    this.range = opts.range ?? [0, 1];
    this.mean = opts.mean;
    this.seed = opts.seed;
    this.onMsg((content) => this.handle(content));
    this.onClose(() => {
      this.controller?.abort();
      void (this.running ?? Promise.resolve()).finally(() => this.dropParam());
    });
    // A new objective or parameterization starts from a fresh image.
    this.observe(['objective_kind', 'class_index', 'layer', 'unit_index', 'param'], () => {
      if (!this.get('running')) this.dropParam();
    });
  }

  /** Start (or continue) the optimization; resolves when the run ends (finished or stopped). */
  start(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stop the run after the current step. */
  stop(): void {
    this.controller?.abort();
  }

  /** Stop, and start over from a fresh image next time. */
  async reset(): Promise<void> {
    this.stop();
    await this.running;
    this.dropParam();
    this.frameList = [];
    this.set({ step: 0, score: 0, frames: 0, error: '', image: new Uint8Array(this.size[0] * this.size[1] * 4) });
  }

  /** Resolves when no run is in progress. */
  async idle(): Promise<void> {
    await this.running;
  }

  /** Keep the current image with its settings and score in the snapshot strip. */
  snapshot(): void {
    const s = this.getState();
    const [, h, w] = s.image_shape;
    const stack = new Uint8Array(s.snapshots.length + h * w * 4);
    stack.set(s.snapshots, 0);
    stack.set(s.image, s.snapshots.length);
    this.set({ snapshots: stack, snapshot_shape: [s.snapshot_shape[0] + 1, h, w], snapshot_labels: [...s.snapshot_labels, `${this.describeSettings()} · score ${s.score.toFixed(3)} @ ${s.step}`] });
  }

  /** The frames of the last run as an animated GIF (enlarged `zoom` times). */
  exportGif(zoom = 4): Uint8Array {
    const [h, w] = this.size;
    return framesToGif({ width: w, height: h, frames: this.frameList }, { zoom });
  }

  /** The frames of the last run (or the snapshots, `source: 'snapshots'`) side by side as a PNG. */
  exportPngStrip(source: 'frames' | 'snapshots' = 'frames', zoom = 2): Uint8Array {
    const [h, w] = this.size;
    const s = this.getState();
    const frames = source === 'frames' ? this.frameList : Array.from({ length: s.snapshot_shape[0] }, (_, i) => s.snapshots.subarray(i * h * w * 4, (i + 1) * h * w * 4));
    return framesToPngStrip({ width: w, height: h, frames }, { zoom });
  }

  /** Frames kept from the last run (RGBA bytes each). */
  get frameCount(): number {
    return this.frameList.length;
  }

  /** The current settings in one line, e.g. "Sneaker · pixels · lr 0.02 · decay 0.0001 · blur 0.5/4". */
  describeSettings(): string {
    const s = this.getState();
    const what = s.objective_kind === 'class' ? s.class_labels[s.class_index] : s.objective_kind === 'unit' ? `${s.layer}:${s.unit_index}` : `${s.layer} L2`;
    const parts = [what, s.param, `lr ${s.lr}`];
    if (s.decay > 0) parts.push(`decay ${s.decay}`);
    if (s.blur_sigma > 0) parts.push(`blur ${s.blur_sigma}/${s.blur_every}`);
    if (s.norm_percentile > 0) parts.push(`norm p${s.norm_percentile}`);
    if (s.contribution_percentile > 0) parts.push(`contrib p${s.contribution_percentile}`);
    if (s.tv > 0) parts.push(`tv ${s.tv}`);
    if (s.jitter > 0) parts.push(`jitter ${s.jitter}`);
    if (s.octaves > 1) parts.push(`${s.octaves} octaves ×${s.octave_scale}`);
    return parts.join(' · ');
  }

  private async handle(content: unknown): Promise<void> {
    const event = (content as { event?: unknown })?.event;
    try {
      if (event === 'start') await this.start();
      else if (event === 'stop') this.stop();
      else if (event === 'reset') await this.reset();
      else if (event === 'snapshot') this.snapshot();
      else if (event === 'export') {
        const format = (content as { format?: unknown }).format;
        if (format !== 'gif' && format !== 'png') throw new Error(`export format must be 'gif' or 'png'; got ${describeValue(format)}`);
        const bytes = format === 'gif' ? this.exportGif() : this.exportPngStrip('frames');
        this.send({ event: 'export', format, name: `convlens-lab.${format}` }, [bytes]);
      } else throw new Error(`unknown lab command ${describeValue(event)}; use start, stop, reset, snapshot or export`);
    } catch (e) {
      if (!this.closed) this.set({ error: (e as Error).message });
    }
  }

  private dropParam(): void {
    this.param?.dispose();
    this.param = undefined;
  }

  private objective(s: LabSettings): Objective {
    if (s.objective_kind === 'class') return classLogit(s.class_index);
    if (s.objective_kind === 'unit') return channel(s.layer, s.unit_index);
    return layerL2(s.layer);
  }

  private transforms(): Transform[] {
    const j = this.get('jitter');
    return j > 0 ? [jitter(j)] : [];
  }

  private regularizers(): Regularizer[] {
    const s = this.getState();
    const out: Regularizer[] = [];
    if (s.decay > 0) out.push(l2Decay(s.decay));
    if (s.blur_sigma > 0) out.push(blur(s.blur_sigma, s.blur_every));
    if (s.norm_percentile > 0) out.push(clipNorm(s.norm_percentile));
    if (s.contribution_percentile > 0) out.push(clipContribution(s.contribution_percentile));
    if (s.tv > 0) out.push(tvStep(s.tv));
    if (s.clip) out.push(clipRange(this.range));
    return out;
  }

  private async run(): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    const settings = this.getState();
    const [h, w, c] = this.size;
    const sizes = settings.octaves > 1 ? octaveSizes(h, w, settings.octaves, settings.octave_scale) : [[h, w] as [number, number]];
    this.frameList = [];
    this.runs++;
    this.set({ running: true, error: '', frames: 0 });
    const objective = this.objective(settings);
    try {
      for (let o = 0; o < sizes.length; o++) {
        const [oh, ow] = sizes[o];
        this.param = this.paramAt(oh, ow, c, settings.param);
        const perOctave = Math.max(1, Math.round(settings.steps / sizes.length));
        await optimizeImage(this.model, objective, {
          steps: perOctave,
          param: this.param,
          size: [oh, ow],
          fit: 'resize',
          optimizer: 'sgd',
          normalizeGradient: 'l1',
          lr: () => this.get('lr'),
          transforms: () => this.transforms(),
          regularizers: () => this.regularizers(),
          range: this.range,
          seed: this.seed === undefined ? undefined : this.seed + this.runs * 101 + o,
          signal: controller.signal,
          every: this.get('draw_every'),
          onStep: async ({ step, scores, images }) => {
            const full = oh === h && ow === w ? images : tf.tidy(() => fitImages(images, h, w, 'resize'));
            try {
              const bytes = await rgbaOf(full, this.range);
              if (this.closed) return;
              this.frameList.push(bytes);
              this.set({ image: bytes, step: o * perOctave + step + 1, score: scores[0], frames: this.frameList.length });
            } finally {
              if (full !== images) full.dispose();
            }
          },
        }).then((r) => r.dispose());
      }
    } catch (e) {
      if (!controller.signal.aborted && !this.closed) this.set({ error: (e as Error).message });
    } finally {
      objective.dispose();
      if (this.controller === controller) this.controller = undefined;
      if (!this.closed) this.set({ running: false });
    }
  }

  /** The parameterization at `h` x `w`: the current one, or one started from the current image resized, or a fresh one. */
  private paramAt(h: number, w: number, c: number, kind: 'pixels' | 'fourier'): ImageParam {
    const current = this.param;
    if (current && current.shape[1] === h && current.shape[2] === w) return current;
    const seed = this.seed === undefined ? undefined : this.seed + this.runs;
    if (!current) {
      const octaves = this.get('octaves');
      return makeParam({ type: kind, init: octaves > 1 ? 'zeros' : 'noise', mean: this.mean, sd: kind === 'pixels' ? 0.01 : 0.01 }, [1, h, w, c], seed);
    }
    const image = tf.tidy(() => tf.add(fitImages(current.render(), h, w, 'resize'), tf.tensor1d(current.mean)));
    try {
      const next = makeParam({ type: kind, init: image, mean: current.mean }, [1, h, w, c], seed);
      current.dispose();
      return next;
    } finally {
      image.dispose();
    }
  }

  /** Validates the settings (from the kernel or the page). */
  protected coerce(s: RegularizationLabState): RegularizationLabState {
    if (!['class', 'unit', 'layer'].includes(s.objective_kind)) throw new Error(`objective_kind must be 'class', 'unit' or 'layer'; got ${describeValue(s.objective_kind)}`);
    checkInteger('class_index', s.class_index, 0, s.class_labels.length - 1);
    const li = s.layer_options.indexOf(s.layer);
    if (li < 0) throw new Error(`layer must be one of ${s.layer_options.join(', ')}; got ${describeValue(s.layer)}`);
    checkInteger('unit_index', s.unit_index, 0, s.layer_units[li] - 1);
    if (s.param !== 'pixels' && s.param !== 'fourier') throw new Error(`param must be 'pixels' or 'fourier'; got ${describeValue(s.param)}`);
    checkInteger('steps', s.steps, 1, 100_000);
    checkNumber('lr', s.lr, 0, 1000);
    checkNumber('decay', s.decay, 0, 1);
    checkNumber('blur_sigma', s.blur_sigma, 0, 16);
    checkInteger('blur_every', s.blur_every, 1, 1000);
    checkNumber('norm_percentile', s.norm_percentile, 0, 100);
    checkNumber('contribution_percentile', s.contribution_percentile, 0, 100);
    checkNumber('tv', s.tv, 0, 1000);
    checkInteger('jitter', s.jitter, 0, 64);
    checkInteger('octaves', s.octaves, 1, 6);
    checkNumber('octave_scale', s.octave_scale, 1, 4);
    checkInteger('draw_every', s.draw_every, 1, 100_000);
    if (typeof s.clip !== 'boolean') throw new Error(`clip must be true or false; got ${describeValue(s.clip)}`);
    return s;
  }

  /** Image bytes are not echoed back to frontends. */
  protected echoes(key: string): boolean {
    return !['image', 'snapshots'].includes(key);
  }

  protected reprKeys(): string[] {
    return ['objective_kind', 'class_index', 'layer', 'steps', 'lr', 'running', 'step', 'score'];
  }

  /** Settings keys, for views and tests. */
  static readonly settingKeys = SETTING_KEYS;
}

/**
 * A live regularization lab for `model`: display it, press Start, move sliders while it runs.
 * @example
 * const lab = lens.regularizationLab(model, { objective: 'class', class_index: 3, steps: 200 });
 * lab                       // shows it; or: await lab.start() from code
 */
export function regularizationLab(model: tf.LayersModel, opts: RegularizationLabOptions = {}, options: WidgetOptions = {}): RegularizationLab {
  return new RegularizationLab(model, opts, options);
}
