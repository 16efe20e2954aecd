/**
 * The gradient of `tf.mirrorPad`. tfjs-core 4.22's only slices dy back to the input's shape, which
 * drops the gradient of every reflected copy (on every backend): a border pixel that appears twice
 * in the output gets half of its gradient. Here each padded border is folded back, reversed, onto
 * the cells it copied, axis by axis ('reflect' skips the edge cell, 'symmetric' repeats it).
 */
import { tf } from '../tf';

/** Fold the padding of `axis` of `g` back onto the `size` cells it was copied from. */
function foldAxis(g: tf.Tensor, axis: number, before: number, after: number, size: number, offset: number): tf.Tensor {
  const part = (begin: number, length: number) => {
    const b = g.shape.map((_, i) => (i === axis ? begin : 0));
    const s = g.shape.map((d, i) => (i === axis ? length : d));
    return tf.slice(g, b, s);
  };
  const padTo = (t: tf.Tensor, start: number) => tf.pad(t, g.shape.map((_, i): [number, number] => (i === axis ? [start, size - start - t.shape[axis]] : [0, 0])));
  let folded = part(before, size);
  // padded[p] = x[before - 1 - p + offset]: reversed, the before-part lands on x[offset ...].
  if (before > 0) folded = tf.add(folded, padTo(tf.reverse(part(0, before), axis), offset));
  // padded[before + size + q] = x[size - 1 - offset - q]: reversed, it lands on x[size - offset - after ...].
  if (after > 0) folded = tf.add(folded, padTo(tf.reverse(part(before + size, after), axis), size - offset - after));
  return folded;
}

/** The gradient of mirrorPad with `paddings` and `mode` for an input of `shape`. */
export function mirrorPadGradient(dy: tf.Tensor, shape: number[], paddings: Array<[number, number]>, mode: 'reflect' | 'symmetric'): tf.Tensor {
  return tf.tidy(() => paddings.reduce((g, [before, after], axis) => foldAxis(g, axis, before, after, shape[axis], mode === 'reflect' ? 1 : 0), dy));
}

let registered = false;

/** Replace tfjs-core's MirrorPad gradient (global to every backend; idempotent). */
export function registerMirrorPadGradient(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: 'MirrorPad',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const { paddings, mode } = attrs as unknown as { paddings: Array<[number, number]>; mode: 'reflect' | 'symmetric' };
      return { x: () => mirrorPadGradient(dy as tf.Tensor, saved[0].shape, paddings, mode) };
    },
  });
}
