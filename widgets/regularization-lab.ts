/**
 * RegularizationLab view: the image being optimized on the kernel (redrawn as frames arrive),
 * Start / Stop / Reset / Snapshot / Export buttons, the objective picker, sliders for the learning
 * rate, steps, every regularizer and the octaves, and the snapshot strip. Every control writes to
 * the model; the kernel reads the settings before each step, so a move applies from the next one.
 * Kernel side: `regularizationLab` (kernel-lib/widgets/regularization-lab.ts).
 */
import { REGULARIZATION_LAB, type LabSettings, type RegularizationLabState } from '../kernel-lib/widgets/state/regularization-lab';
import { classSelect, labelledSlider } from './attribution-controls';
import { ConvlensView, convlensModel } from './convlens-view';
import { bytesOf, decodeImages, isEmptyBuffer, makeCanvas, type WireBuffer } from './image-buffer';
import { applyThemeClass } from './theme';
import './regularization-lab.css';

/** The RegularizationLab state as the page sees it. */
type State = RegularizationLabState<WireBuffer>;

/** The settings a slider moves: the numeric ones. */
type NumericSetting = { [K in keyof LabSettings]: LabSettings[K] extends number ? K : never }[keyof LabSettings];

/** Model of a RegularizationLab: the state declared in kernel-lib/widgets/state/regularization-lab.ts. */
export const RegularizationLabModel = convlensModel(REGULARIZATION_LAB);

type Slider = ReturnType<typeof labelledSlider>;

/** The sliders: state key, label, range and display format. */
const SLIDERS: Array<{ key: NumericSetting; label: string; min: number; max: number; step: number; format?: (v: number) => string }> = [
  { key: 'lr', label: 'lr', min: 0, max: 0.2, step: 0.002 },
  { key: 'steps', label: 'steps', min: 10, max: 1000, step: 10 },
  { key: 'decay', label: 'L2 decay θ', min: 0, max: 0.05, step: 0.0001, format: (v) => v.toFixed(4) },
  { key: 'blur_sigma', label: 'blur σ', min: 0, max: 3, step: 0.05, format: (v) => v.toFixed(2) },
  { key: 'blur_every', label: 'blur every', min: 1, max: 20, step: 1 },
  { key: 'norm_percentile', label: 'clip norm %', min: 0, max: 95, step: 1 },
  { key: 'contribution_percentile', label: 'clip contrib. %', min: 0, max: 95, step: 1 },
  { key: 'tv', label: 'TV', min: 0, max: 5, step: 0.05, format: (v) => v.toFixed(2) },
  { key: 'jitter', label: 'jitter px', min: 0, max: 8, step: 1 },
  { key: 'octaves', label: 'octaves', min: 1, max: 5, step: 1 },
  { key: 'octave_scale', label: 'octave scale', min: 1, max: 2, step: 0.05, format: (v) => v.toFixed(2) },
];

function labelled(name: string, control: HTMLElement): HTMLLabelElement {
  const label = document.createElement('label');
  label.className = 'cl-control';
  const text = document.createElement('span');
  text.className = 'cl-control-name';
  text.textContent = name;
  label.append(text, control);
  return label;
}

function select(label: string, options: Array<[string, string]>, onChange: (value: string) => void): HTMLSelectElement {
  const el = document.createElement('select');
  el.setAttribute('aria-label', label);
  setOptions(el, options);
  el.addEventListener('change', () => onChange(el.value));
  return el;
}

function setOptions(el: HTMLSelectElement, options: Array<[string, string]>): void {
  const now = Array.from(el.options).map((o) => `${o.value}\t${o.textContent}`).join('\n');
  if (now === options.map(([v, t]) => `${v}\t${t}`).join('\n')) return;
  el.replaceChildren(
    ...options.map(([value, text]) => {
      const o = document.createElement('option');
      o.value = value;
      o.textContent = text;
      return o;
    }),
  );
}

/** View of a RegularizationLab. */
export class RegularizationLabView extends ConvlensView<State> {
  private canvas!: HTMLCanvasElement;
  private status!: HTMLDivElement;
  private sliders = new Map<NumericSetting, Slider>();
  private kind!: HTMLSelectElement;
  private classes!: ReturnType<typeof classSelect>;
  private layer!: HTMLSelectElement;
  private unit!: Slider;
  private param!: HTMLSelectElement;
  private clip!: HTMLInputElement;
  private buttons = new Map<string, HTMLButtonElement>();
  private strip!: HTMLDivElement;

  /** Build the DOM and subscribe to model changes. */
  render(): void {
    applyThemeClass(this.el);
    this.el.classList.add('convlens-regularization-lab');
    const set = <K extends keyof State>(key: K, value: State[K]) => {
      const patch: Partial<State> = {};
      patch[key] = value;
      this.setState(patch);
    };
    const size = this.state('display_size') || 256;
    this.canvas = makeCanvas(1, 1);
    this.canvas.className = 'cl-lab-image';
    Object.assign(this.canvas.style, { width: `${size}px`, height: `${size}px` });
    this.status = document.createElement('div');
    this.status.className = 'cl-status cl-lab-status';

    const buttons = document.createElement('div');
    buttons.className = 'cl-lab-buttons';
    const command = (event: string, extra: Record<string, unknown> = {}) => this.send({ event, ...extra });
    // Icons are plain text glyphs: they show in every frontend, with or without an icon font.
    for (const [name, icon, text, act] of [
      ['start', '▶', 'Start', () => command('start')],
      ['stop', '■', 'Stop', () => command('stop')],
      ['reset', '↺', 'Reset', () => command('reset')],
      ['snapshot', '◉', 'Snapshot', () => command('snapshot')],
      ['gif', '⤓', 'Export GIF', () => command('export', { format: 'gif' })],
      ['png', '⤓', 'Export PNG strip', () => command('export', { format: 'png' })],
    ] as Array<[string, string, string, () => void]>) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = `cl-lab-button cl-lab-${name}`;
      const glyph = document.createElement('span');
      glyph.className = 'cl-icon';
      glyph.setAttribute('aria-hidden', 'true');
      glyph.textContent = icon;
      b.append(glyph, text);
      b.addEventListener('click', act);
      this.buttons.set(name, b);
      buttons.append(b);
    }

    const objective = document.createElement('div');
    objective.className = 'cl-lab-objective';
    this.kind = select('Objective', [['class', 'class score'], ['unit', 'unit of a layer'], ['layer', 'whole layer (dream)']], (v) => set('objective_kind', v as LabSettings['objective_kind']));
    this.classes = classSelect((i) => set('class_index', i));
    this.layer = select('Layer', [], (v) => {
      set('layer', v);
      set('unit_index', 0);
    });
    this.unit = labelledSlider('unit', { min: 0, max: 1, step: 1, value: 0 }, (v) => set('unit_index', v));
    this.param = select('Parameterization', [['pixels', 'pixels'], ['fourier', 'Fourier, decorrelated colour']], (v) => set('param', v as LabSettings['param']));
    objective.append(labelled('objective', this.kind), this.classes.element, labelled('layer', this.layer), this.unit.element, labelled('image as', this.param));

    const sliders = document.createElement('div');
    sliders.className = 'cl-lab-sliders';
    for (const s of SLIDERS) {
      const slider = labelledSlider(s.label, { min: s.min, max: s.max, step: s.step, value: this.state(s.key), format: s.format }, (v) => set(s.key, v));
      this.sliders.set(s.key, slider);
      sliders.append(slider.element);
    }
    this.clip = document.createElement('input');
    this.clip.type = 'checkbox';
    this.clip.setAttribute('aria-label', 'clip to range');
    this.clip.addEventListener('change', () => set('clip', this.clip.checked));
    sliders.append(labelled('clip to range', this.clip));

    const controls = document.createElement('div');
    controls.className = 'cl-controls cl-lab-controls';
    controls.append(buttons, objective, sliders);
    // Every control of the lab asks the kernel to act: without one they are disabled, with a note.
    controls.append(this.kernelOnly([buttons, objective, sliders]));
    const left = document.createElement('div');
    left.className = 'cl-lab-left';
    left.append(this.canvas, this.status);
    const top = document.createElement('div');
    top.className = 'cl-lab-top';
    top.append(left, controls);
    this.strip = document.createElement('div');
    this.strip.className = 'cl-lab-strip';
    this.el.append(top, this.strip);

    this.onChange(['image', 'image_shape'], () => this.drawImage());
    this.onChange(['snapshots', 'snapshot_shape', 'snapshot_labels'], () => this.drawStrip());
    this.listenTo(this.model, 'change comm_live_update', () => this.drawControls());
    this.listenTo(this.model, 'msg:custom', (content: { event?: string; name?: string; format?: string }, buffers: Array<DataView | ArrayBuffer>) => this.onCustom(content, buffers));
    void this.drawImage();
    void this.drawStrip();
    this.drawControls();
  }

  private async drawImage(): Promise<void> {
    const image = this.state('image');
    const shape = this.state('image_shape');
    if (!image || isEmptyBuffer(image) || !(shape[1] > 0)) return;
    const [frame] = await decodeImages('rgba', image, shape);
    if (this.canvas.width !== frame.width || this.canvas.height !== frame.height) Object.assign(this.canvas, { width: frame.width, height: frame.height });
    const ctx = this.canvas.getContext('2d')!;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(frame, 0, 0);
  }

  private async drawStrip(): Promise<void> {
    const shape = this.state('snapshot_shape');
    const bytes = this.state('snapshots');
    const labels = this.state('snapshot_labels');
    if (!bytes || isEmptyBuffer(bytes) || !(shape[0] > 0)) {
      this.strip.replaceChildren();
      return;
    }
    const canvases = await decodeImages('rgba', bytes, shape);
    this.strip.replaceChildren(
      ...canvases.map((c, i) => {
        const fig = document.createElement('figure');
        fig.className = 'cl-lab-snapshot';
        c.className = 'cl-lab-snapshot-image';
        const cap = document.createElement('figcaption');
        cap.textContent = labels[i] ?? '';
        fig.append(c, cap);
        return fig;
      }),
    );
  }

  private drawControls(): void {
    const get = <K extends keyof State>(key: K): State[K] => this.state(key);
    for (const [key, slider] of this.sliders) slider.update(get(key));
    this.kind.value = get('objective_kind');
    this.classes.update(get('class_labels'), get('class_index'));
    const layers = get('layer_options');
    const units = get('layer_units');
    setOptions(this.layer, layers.map((l, i) => [l, `${l} (${units[i]})`]));
    this.layer.value = get('layer');
    const li = layers.indexOf(get('layer'));
    this.unit.update(get('unit_index'), Math.max(0, (units[li] ?? 1) - 1));
    this.param.value = get('param');
    this.clip.checked = get('clip');
    const kind = get('objective_kind');
    this.classes.element.style.display = kind === 'class' ? '' : 'none';
    (this.layer.parentElement as HTMLElement).style.display = kind === 'class' ? 'none' : '';
    this.unit.element.style.display = kind === 'unit' ? '' : 'none';
    const running = get('running');
    const live = Boolean(this.model.comm_live);
    this.buttons.get('start')!.disabled = running || !live;
    this.buttons.get('stop')!.disabled = !running || !live;
    this.el.classList.toggle('cl-running', running);
    const error = get('error');
    this.status.classList.toggle('cl-error', !!error);
    this.status.textContent = error || `${running ? 'running · ' : ''}step ${get('step')}/${get('steps')} · score ${get('score').toFixed(3)} · ${get('frames')} frames`;
  }

  /** An export from the kernel: offer the bytes as a download. */
  private onCustom(content: { event?: string; name?: string; format?: string }, buffers: Array<DataView | ArrayBuffer>): void {
    if (content?.event !== 'export' || !buffers?.length) return;
    const blob = new Blob([bytesOf(buffers[0]).slice()], { type: content.format === 'gif' ? 'image/gif' : 'image/png' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = content.name ?? `convlens-lab.${content.format}`;
    a.className = 'cl-lab-download';
    a.textContent = `download ${a.download}`;
    this.strip.before(a);
    a.click();
  }
}
