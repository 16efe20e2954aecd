/**
 * Validation of widget JSON against @jupyter-widgets/schema (test/fixtures/jupyter-widgets-schema)
 * with Debian's python3-jsonschema (`/usr/bin/python3 -m jsonschema`).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SCHEMAS = path.join(__dirname, '../fixtures/jupyter-widgets-schema');

/** Validate `instance` against `state.schema.json` or `view.schema.json`; returns the validator's complaints ('' when valid). */
export function schemaErrors(instance: unknown, schema: 'state' | 'view'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-schema-'));
  const file = path.join(dir, 'instance.json');
  fs.writeFileSync(file, JSON.stringify(instance));
  try {
    execFileSync('/usr/bin/python3', ['-W', 'ignore', '-m', 'jsonschema', '-i', file, path.join(SCHEMAS, `${schema}.schema.json`)], {
      stdio: 'pipe',
    });
    return '';
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer; message: string };
    return `${err.stdout?.toString() ?? ''}${err.stderr?.toString() ?? ''}` || err.message;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
