// The generator the browser tests run: GENERATOR (a built binary), else the release executable
// `cargo build --release -p generator` makes, built (or found fresh) once per test file.
//
// Why not `cargo run`: some commands carry SOURCE_DATE_EPOCH (a fixed build date), and the `cc`
// crate's build scripts (zstd-sys, psm) watch that variable, so a `cargo run` with it, then one
// without it, each rebuilt those crates and everything above them (about 3 minutes each on a
// busy 2-core machine: the two versions tests that ran them took 187 s and 205 s). cargo runs
// here without the variable, as the main site's build ran it; only the executable gets it.
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let built;

/** The command that runs the generator with `args`: `[executable, args]`. */
export async function generator(args) {
  if (process.env.GENERATOR) return [process.env.GENERATOR, args];
  if (!built) {
    const { SOURCE_DATE_EPOCH: _, ...env } = process.env;
    const { stdout } = await run(
      'cargo',
      ['build', '--quiet', '--release', '-p', 'generator', '--message-format=json'],
      { cwd: REPO, env, maxBuffer: 64 << 20, timeout: 20 * 60_000 },
    );
    for (const line of stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      const message = JSON.parse(line);
      if (message.reason === 'compiler-artifact' && message.target?.name === 'generator' && message.executable) {
        built = message.executable;
      }
    }
    if (!built) throw new Error('cargo build --release -p generator named no generator executable');
  }
  return [built, args];
}
