/**
 * Any stack of images as tiles: a batch of inputs, image patches, or the feature maps of a layer
 * (one tile per channel with `layout: 'channels'`).
 */
import { tf } from '../tf';
import { stackTiles, type TileOptions, type Tiles } from './tiles';

/** What image tiles show, and how the tensor is read. */
export interface ImageTileOptions extends TileOptions {
  /**
   * `'images'` (default): each item of `[n, h, w, c]` is a tile. `'channels'`: each channel of
   * one image `[1, h, w, k]` or `[h, w, k]` is a tile (feature maps of a conv layer).
   */
  layout?: 'images' | 'channels';
}

function describe(t: unknown): string {
  return t instanceof tf.Tensor ? `a ${t.dtype} tensor of shape ${JSON.stringify(t.shape)}` : `${typeof t} ${String(t)}`;
}

/** The stack `[n, h, w, c]` a tensor stands for under `layout` (a new tensor). */
function asStack(images: tf.Tensor, layout: 'images' | 'channels'): tf.Tensor4D {
  if (!(images instanceof tf.Tensor)) throw new Error(`imageGrid needs a tensor [n, h, w, c]; got ${describe(images)}`);
  return tf.tidy(() => {
    if (layout === 'channels') {
      const one = images.rank === 4 && images.shape[0] === 1 ? tf.squeeze(images, [0]) : images;
      if (one.rank !== 3) {
        throw new Error(`layout 'channels' needs one image [1, h, w, k] or [h, w, k]; got ${describe(images)}`);
      }
      return tf.expandDims<tf.Tensor4D>(tf.transpose(one, [2, 0, 1]), 3);
    }
    if (images.rank === 3) return tf.expandDims<tf.Tensor4D>(images, 3); // [n, h, w] grey images
    if (images.rank !== 4) throw new Error(`imageGrid needs images [n, h, w, c] or [n, h, w]; got ${describe(images)}`);
    return tf.clone(images) as tf.Tensor4D;
  });
}

/** Tiles of `images` under the tile options (used by `imageGrid` and for updates). */
export async function imageTiles(images: tf.Tensor, opts: ImageTileOptions = {}): Promise<Tiles> {
  const layout = opts.layout ?? 'images';
  if (layout !== 'images' && layout !== 'channels') throw new Error(`layout must be 'images' or 'channels'; got ${JSON.stringify(layout)}`);
  const stack = asStack(images, layout);
  try {
    if (stack.shape[0] === 0) throw new Error(`imageGrid got no images: ${describe(images)}`);
    return await stackTiles(stack, opts);
  } finally {
    stack.dispose();
  }
}
