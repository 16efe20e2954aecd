/**
 * The feature-visualization lectures execute headless on the real convlens kernel
 * (`nbconvert --execute`) on the shipped shapes-cnn, short (CONVLENS_CI=1: a tenth of the steps),
 * and their printed checks hold: scores rise, regularizers do their jobs, inversion and Gram
 * losses fall, adversarial images stay within their bound, fooling images pass 99 %, no leaks.
 */
import { executeNotebook, useInstalledKernel } from '../../kernel/python-harness';

const prefix = useInstalledKernel();
process.env.CONVLENS_CI = '1';

function run(name: string): string {
  const { outputs, text } = executeNotebook(prefix(), name, 300);
  expect(outputs.filter((o: any) => o.output_type === 'error')).toEqual([]);
  expect(text).toMatch(/nothing leaked|keeps its image/);
  return text;
}

const numbers = (s: string) => s.trim().split(/\s+/).map(Number);

test('05-class-models-and-regularization', () => {
  const text = run('05-class-models-and-regularization.ipynb');
  expect(text.match(/score rose: true/g)?.length).toBe(3);
  expect(Number(/min P\(class\) = ([\d.]+)/.exec(text)![1])).toBeGreaterThan(0.99);
  const norms = numbers(/‖x − mean‖ = ([\d. ]+)/.exec(text)![1]);
  expect(norms[1]).toBeLessThan(norms[0]);
  expect(norms[2]).toBeLessThan(norms[1]);
  const hf = numbers(/high-frequency energy = ([\d. ]+)/.exec(text)![1]);
  expect(hf[2]).toBeLessThan(hf[0]);
  const share = numbers(/share of pixels at the mean = ([\d. ]+)/.exec(text)![1]);
  expect(share[1]).toBeGreaterThanOrEqual(0.49);
  expect(share[2]).toBeGreaterThanOrEqual(0.89);
  expect(text).toMatch(/lab: \d+ steps, \d+ frames, score/);
}, 900_000);

test('06-deepdream', () => {
  const text = run('06-deepdream.ipynb');
  expect(text.match(/\(rose: true\)/g)?.length).toBe(3);
}, 900_000);

test('07-inversion-and-style', () => {
  const text = run('07-inversion-and-style.ipynb');
  expect(text).toMatch(/earlier layers more faithful: true/);
  expect(text).toMatch(/Gram loss [^\n]*\(fell: true\)/);
  const [, before, after] = /style \+ content loss ([\d.]+) → ([\d.]+)/.exec(text)!;
  expect(Number(after)).toBeLessThan(Number(before));
}, 900_000);

test('08-adversarial', () => {
  const text = run('08-adversarial.ipynb');
  expect(text).toMatch(/within the bound: true/);
  expect(Number(/reached: (\d)\/8/.exec(text)![1])).toBeGreaterThanOrEqual(5);
  expect(text).toMatch(/all > 99 %: true/);
}, 900_000);
