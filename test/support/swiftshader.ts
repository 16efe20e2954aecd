/**
 * The environment scripts/with-swiftshader.sh gives a command (the one owner of how SwiftShader
 * is made visible to Dawn), for tests that start such a process themselves.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'with-swiftshader.sh');
const KEYS = ['VK_ICD_FILENAMES', 'XDG_RUNTIME_DIR', 'LD_LIBRARY_PATH'];

/** VK_ICD_FILENAMES, XDG_RUNTIME_DIR and (where needed) LD_LIBRARY_PATH that make SwiftShader visible. */
export function swiftShaderEnv(): Record<string, string> {
  const script = `process.stdout.write(JSON.stringify(Object.fromEntries(${JSON.stringify(KEYS)}.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]))))`;
  return JSON.parse(execFileSync('bash', [SCRIPT, process.execPath, '-e', script], { encoding: 'utf8' })) as Record<string, string>;
}
