// Builds the pages into dist/ (docs/web.md, "Building the pages"): one esbuild bundle and one
// stylesheet per page in dist/static/, named by their content's hash (served with a year of
// immutable caching), and one HTML shell per page, dist/<page>.html, that loads only those two
// files: no inline script or style, so the server's Content-Security-Policy can forbid both.
// Usage: node scripts/build.mjs [OUT_DIR]   (default: web/dist; the tests build elsewhere)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = resolve(process.argv[2] ?? join(root, 'dist'));

// name: the shell's file (dist/<name>.html) and the bundle's prefix; the server maps each
// page's URL to its shell (src/http/web_pages.cpp).
const pages = [
    { name: 'room', title: 'Viewer room', entry: 'src/pages/room/main.tsx' },
    { name: 'overlay', title: 'Overlay', entry: 'src/pages/overlay/main.tsx' },
    { name: 'console-streamer', title: 'Streamer console', entry: 'src/pages/console_streamer/main.tsx' },
    { name: 'console-developer', title: 'Developer console', entry: 'src/pages/console_developer/main.tsx' },
    { name: 'dashboard', title: 'Dashboard', entry: 'src/pages/dashboard/main.tsx' },
];

const escapeHtml = (text) =>
    text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function shell(page, script, stylesheet) {
    return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} · Barrage</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/${stylesheet}">
<script type="module" src="/static/${script}"></script>
</head>
<body>
<div id="root"></div>
</body>
</html>
`;
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'static'), { recursive: true });
const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(pages.map((page) => [page.name, page.entry])),
    outdir: join(dist, 'static'),
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    target: ['chrome109', 'firefox115', 'safari16'],
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
});

for (const page of pages) {
    const entry = Object.entries(result.metafile.outputs).find(([, output]) => output.entryPoint === page.entry);
    if (entry === undefined || entry[1].cssBundle === undefined) {
        throw new Error(`${page.entry}: no bundle or no stylesheet in the build`);
    }
    const html = shell(page, basename(entry[0]), basename(entry[1].cssBundle));
    writeFileSync(join(dist, `${page.name}.html`), html);
}
console.log(`built ${pages.length} pages into ${dist}`);
