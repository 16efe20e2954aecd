/**
 * Which layer and which units a unit-level technique looks at: the layer's output must be a
 * feature map `[N, h, w, k]` (or, for a global layer, `[N, k]`), units are channel indices.
 */
import { tf } from '../../tf';
import { getLayer, hasSpatialOutput, allLayers } from '../../models/layers';
import { receptiveField, receptiveFieldBox, type ReceptiveField } from '../../models/receptive-field';

/** A layer a unit technique runs on, with its output geometry and its receptive field. */
export interface UnitLayer {
  name: string;
  /** Output rows, columns, channels (1, 1, k for a global `[N, k]` layer). */
  h: number;
  w: number;
  channels: number;
  receptiveField: ReceptiveField;
  /** Input-pixel box of unit (0, 0), unclipped: `[top, left]` and the box size `[sh, sw]`. */
  origin: [number, number];
  size: [number, number];
}

/**
 * The layer `layerName` of `model` as a {@link UnitLayer}.
 * @throws listing the layers when it is unknown, and the layers with per-unit outputs when its
 * output is neither `[N, h, w, k]` nor `[N, k]`.
 */
export function unitLayer(model: tf.LayersModel, layerName: string, where: string): UnitLayer {
  const layer = getLayer(model, layerName);
  const shape = layer.outputShape as (number | null)[];
  const ok = hasSpatialOutput(layer) || (Array.isArray(shape) && !Array.isArray(shape[0]) && shape.length === 2);
  if (!ok) {
    const usable = allLayers(model).filter((l) => hasSpatialOutput(l) || (l.outputShape as unknown[]).length === 2).map((l) => l.name);
    throw new Error(`${where}: layer "${layer.name}" has output shape ${JSON.stringify(shape)}; units need [N, h, w, k] or [N, k]. Layers with units: ${usable.join(', ')}`);
  }
  const rf = receptiveField(model, layer.name);
  const box = receptiveFieldBox(model, layer.name, [0, 0], { clip: false });
  const spatial = shape.length === 4;
  return {
    name: layer.name,
    h: spatial ? (shape[1] as number) : 1,
    w: spatial ? (shape[2] as number) : 1,
    channels: shape[shape.length - 1] as number,
    receptiveField: rf,
    origin: [box[0], box[1]],
    size: [box[2] - box[0], box[3] - box[1]],
  };
}

/**
 * The unit (channel) indices asked for, checked: default every channel.
 * @throws naming the bad entry and the allowed range.
 */
export function checkUnits(units: unknown, channels: number, where: string): number[] {
  if (units === undefined) return Array.from({ length: channels }, (_, i) => i);
  if (!Array.isArray(units) || units.length === 0) throw new Error(`${where}: units must be a non-empty array of channel indices 0..${channels - 1}; got ${JSON.stringify(units)}`);
  for (const u of units) {
    if (!Number.isInteger(u) || u < 0 || u >= channels) throw new Error(`${where}: unit ${JSON.stringify(u)} is not a channel of the layer: allowed 0..${channels - 1}`);
  }
  if (new Set(units).size !== units.length) throw new Error(`${where}: units ${JSON.stringify(units)} has repeated entries`);
  return units as number[];
}
