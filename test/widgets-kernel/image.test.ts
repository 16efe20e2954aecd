/**
 * Image widget from a tensor: PNG bytes that decode back to the tensor's pixels, sent as one
 * buffer, with no tensor left behind.
 */
import { PNG } from 'pngjs';
import { initBackend } from '../../kernel-lib/backend';
import { tf } from '../../kernel-lib/tf';
import { Image } from '../../kernel-lib/ipywidgets';
import { freshTransport, openOf } from './frontend';

describe('Image', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('fromTensor encodes a [H, W, 3] tensor in [0, 1] as PNG and setTensor replaces it', async () => {
    const t = freshTransport();
    const before = tf.memory().numTensors;
    const pixels = tf.tensor3d([[[1, 0, 0], [0, 1, 0]], [[0, 0, 1], [0.5, 0.5, 0.5]]]);
    const img = await Image.fromTensor(pixels, { width: '64px' });
    const png = PNG.sync.read(Buffer.from(img.value));
    expect([png.width, png.height]).toEqual([2, 2]);
    expect(Array.from(png.data)).toEqual([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 128, 128, 128, 255]);
    expect(openOf(t, img).data.buffer_paths).toEqual([['value']]);
    expect(img.get('width')).toBe('64px');
    const gray = tf.ones<tf.Rank.R3>([3, 1, 1]);
    await img.setTensor(gray);
    expect(PNG.sync.read(Buffer.from(img.value)).height).toBe(3);
    pixels.dispose();
    gray.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a value that is not bytes', () => {
    freshTransport();
    expect(() => new Image({ value: 'x' as any })).toThrow(/Image.value must be a Uint8Array/);
  });
});
