/** Runs feature_space_reference.py (Debian's /usr/bin/python3 with torch) on one JSON request. */
import { execFile } from 'child_process';
import * as path from 'path';
import { REFERENCE_PYTHON } from '../../reference/torch-reference';
import { mulberry32 } from '../../../kernel-lib/data/random';

const SCRIPT = path.join(__dirname, 'feature_space_reference.py');

/** The float64 answers of the reference for `requests` (`{ op, ... }` each), in one Python process. */
export function featureSpaceReference(requests: Array<Record<string, unknown>>): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(REFERENCE_PYTHON, [SCRIPT], { maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${SCRIPT} failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout) as unknown[]);
    });
    child.stdin!.end(JSON.stringify(requests));
  });
}

/** `n` rows of `d` seeded normal-ish values around `centres` (one blob per centre, `spread` wide): rows and labels. */
export function blobs(n: number, d: number, centres: number, spread: number, seed: number, separation = 10): { rows: number[][]; labels: number[] } {
  const rnd = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const means = Array.from({ length: centres }, () => Array.from({ length: d }, () => normal() * separation));
  const labels = Array.from({ length: n }, (_, i) => i % centres);
  return { rows: labels.map((c) => means[c].map((m) => m + normal() * spread)), labels };
}
