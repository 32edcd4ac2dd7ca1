/**
 * Builds the browser console: bundles console-ui/src/main.ts with esbuild into
 * dist/console-ui/public/app.js and copies index.html next to it.
 * Compiled by tsc to dist/console-ui/build.js and run by `npm run build`.
 */
import * as fs from 'fs';
import * as path from 'path';
import type * as Esbuild from 'esbuild';

export async function buildConsole(): Promise<void> {
  // dist/console-ui/build.js -> repository root
  const root = path.resolve(__dirname, '../..');
  const outDir = path.join(root, 'dist/console-ui/public');
  const esbuild = require('esbuild') as typeof Esbuild;

  fs.mkdirSync(outDir, { recursive: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: [path.join(root, 'console-ui/src/main.ts')],
    outfile: path.join(outDir, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    tsconfig: path.join(root, 'tsconfig.json'),
    // Cyrillic catalog text stays readable and small; module scripts are always decoded as UTF-8.
    charset: 'utf8',
    logLevel: 'warning',
  });
  fs.copyFileSync(path.join(root, 'console-ui/index.html'), path.join(outDir, 'index.html'));
}

if (require.main === module) {
  buildConsole().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
