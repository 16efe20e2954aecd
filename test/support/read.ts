/**
 * Reading tensors in tests the way the library does: asynchronously (the webgpu backend cannot
 * read synchronously in Node), so the same tests run on every backend.
 */
import { tf } from '../../kernel-lib/tf';

/** What `compute` returns, read as a nested array; every tensor `compute` makes is disposed. */
export async function read<T = any>(compute: () => tf.Tensor): Promise<T> {
  const t = tf.tidy(compute);
  try {
    return (await t.array()) as T;
  } finally {
    t.dispose();
  }
}

/** What `compute` returns, read as flat values; every tensor `compute` makes is disposed. */
export async function readValues(compute: () => tf.Tensor): Promise<number[]> {
  const t = tf.tidy(compute);
  try {
    return Array.from(await t.data(), Number);
  } finally {
    t.dispose();
  }
}

/** The one number `compute` returns (a scalar or a one-element tensor); every tensor it makes is disposed. */
export async function readScalar(compute: () => tf.Tensor): Promise<number> {
  return (await readValues(compute))[0];
}
