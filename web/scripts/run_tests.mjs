// Bundles every test/**/*.test.ts with esbuild (types are checked separately by tsc, as
// `npm test` does first) and runs the bundles with node's own test runner. No test framework
// to install, and a bundle per file keeps each test file's imports exactly what it uses.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

function testFiles(folder) {
    const found = [];
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) {
            found.push(...testFiles(path));
        } else if (entry.name.endsWith('.test.ts')) {
            found.push(path);
        }
    }
    return found.sort();
}

const entryPoints = testFiles(join(root, 'test'));
if (entryPoints.length === 0) {
    console.error('no test files under web/test');
    process.exit(1);
}
const outdir = mkdtempSync(join(tmpdir(), 'barrage-web-tests-'));
let status = 1;
try {
    await build({
        entryPoints,
        outdir,
        outbase: join(root, 'test'),
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        outExtension: { '.js': '.mjs' },
        sourcemap: 'inline',
        logLevel: 'warning',
    });
    const bundles = entryPoints.map((path) => join(outdir, relative(join(root, 'test'), path)).replace(/\.ts$/, '.mjs'));
    const run = spawnSync(process.execPath, ['--enable-source-maps', '--test', ...bundles], { stdio: 'inherit' });
    status = run.status ?? 1;
} finally {
    rmSync(outdir, { recursive: true, force: true });
}
process.exit(status);
