// The sites the browser benchmarks load (bench/pages, bench/lighthouse, bench/calculator), built
// into scratch folders under bench/out/ so that the repository's own dist/ is left alone:
//   - `real`: content/ as it is;
//   - `library`: content/ with the library's test fixtures laid over it
//     (generator/tests/fixtures/library/: a re-issued 26号 of 2026-01-01 and an amendment of
//     2026-07-01), built on 2026-08-01, because only a document with two versions has a
//     "what changed" page and the shipped content has one version.
// The generator is $GENERATOR when set (e.g. a released binary), else this checkout's release
// build (`cargo build --release -p generator`, which also compiles the calculator's WASM on the
// first build).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LIBRARY_DATE = '2026-08-01';

/** The generator binary to build with: $GENERATOR, else a release build of this checkout. */
export function generator() {
  if (process.env.GENERATOR) return path.resolve(process.env.GENERATOR);
  console.error('==> cargo build --release -p generator');
  execFileSync('cargo', ['build', '--release', '-p', 'generator'], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
  return path.join(REPO, 'target/release/generator');
}

function copyDir(from, to) {
  fs.cpSync(from, to, { recursive: true });
}

/**
 * Builds both sites under `out` and returns {real, library}: the dist/ folder of each.
 * `siteUrl` (optional) is a function of the site's name giving its SITE_URL (absolute links,
 * as a deployment would have: Lighthouse's SEO audit needs them); `only` names the sites to build.
 */
export function buildSites(out, { siteUrl = () => '', bin = generator(), only = ['real', 'library'] } = {}) {
  const dists = {};
  for (const name of only) {
    const root = path.join(out, name);
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root, { recursive: true });
    copyDir(path.join(REPO, 'content'), path.join(root, 'content'));
    copyDir(path.join(REPO, 'themes'), path.join(root, 'themes'));
    const args = ['build'];
    if (name === 'library') {
      copyDir(path.join(REPO, 'generator/tests/fixtures/library/documents'), path.join(root, 'content/documents'));
      // The worked examples state the 2025 amounts; the fixture raises a cap from 2026.
      fs.rmSync(path.join(root, 'content/examples.yaml'));
      args.push('--date', LIBRARY_DATE);
    }
    console.error(`==> generator build (${name})`);
    execFileSync(bin, args, {
      cwd: root,
      env: { ...process.env, GENERATOR_ROOT: root, SITE_URL: siteUrl(name) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    dists[name] = path.join(root, 'dist');
  }
  return dists;
}

/**
 * Every page type, in both languages: [site, path, type]. A task is a fragment of the plan
 * page (#task-1), so the task row loads the plan page with it. `/?choose` is the language
 * chooser itself (`/` sends a reader whose browser language is known on to that language).
 */
export function pageTypes() {
  const pages = [
    ['real', '/?choose', 'language chooser'],
    ['real', '/404.html', '404'],
  ];
  for (const l of ['zh', 'en']) {
    pages.push(
      ['real', `/${l}/`, 'home'],
      ['real', `/${l}/documents/tzzb-2024-26/`, 'document'],
      ['real', `/${l}/attachment/`, 'document text (attachment)'],
      ['real', `/${l}/plan/#task-1`, 'task (plan page)'],
      ['real', `/${l}/units/`, 'units'],
      ['real', `/${l}/units/customs/`, 'unit'],
      ['real', `/${l}/parallel/`, 'parallel view'],
      ['library', `/${l}/documents/tzzb-2024-26/2026-01-01/changes/`, 'what changed'],
      ['real', `/${l}/documents/tzzb-2024-26/2025-01-01/attachment/`, 'version page'],
      ['real', `/${l}/calculator/`, 'calculator'],
      ['real', `/${l}/search/`, 'search'],
      ['real', `/${l}/glossary/`, 'glossary'],
    );
  }
  return pages;
}

/** The machine's load, for the RESULTS files: "load 3.2 / 2.9 / 2.1 on 2 cores". */
export async function machineLoad() {
  const os = await import('node:os');
  const [a, b, c] = os.loadavg().map((x) => x.toFixed(1));
  return `load average ${a} / ${b} / ${c} (1 / 5 / 15 min) on ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()})`;
}
