/**
 * RegularizationLab state, declared once: gradient ascent on the input running on the kernel while
 * the page redraws the image, with a slider for every regularizer. Kernel side
 * `kernel-lib/widgets/regularization-lab.ts`, view `widgets/regularization-lab.ts`.
 */
import { defineWidget } from './widget-spec';

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

/** RegularizationLab state (`B`: how bytes arrive, see `FilterGridState`). */
export interface RegularizationLabState<B = Uint8Array> extends LabSettings {
  /** RGBA bytes of the current image, shape `[1, H, W]`. */
  image: B;
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
  snapshots: B;
  snapshot_shape: number[];
  snapshot_labels: string[];
  error: string;
  /** Displayed image size in CSS pixels. */
  display_size: number;
}

/** The RegularizationLab widget. */
export const REGULARIZATION_LAB = defineWidget<RegularizationLabState>(
  'RegularizationLab',
  () => ({
    objective_kind: 'class',
    class_index: 0,
    layer: '',
    unit_index: 0,
    param: 'pixels',
    steps: 200,
    lr: 0.02,
    decay: 0.0001,
    blur_sigma: 0.5,
    blur_every: 4,
    norm_percentile: 0,
    contribution_percentile: 0,
    tv: 0,
    jitter: 2,
    clip: true,
    octaves: 1,
    octave_scale: 1.4,
    image: new Uint8Array(0),
    image_shape: [0, 0, 0],
    class_labels: [],
    layer_options: [],
    layer_units: [],
    running: false,
    step: 0,
    score: 0,
    frames: 0,
    draw_every: 8,
    snapshots: new Uint8Array(0),
    snapshot_shape: [0, 0, 0],
    snapshot_labels: [],
    error: '',
    display_size: 256,
  }),
  ['image', 'snapshots'],
);
