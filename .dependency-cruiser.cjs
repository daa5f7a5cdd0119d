/**
 * `pnpm build` fails on a folder-level import cycle in core/src or a plugin's src (scripts/check-folder-cycles.js runs this):
 * folders that import each other cannot be understood, tested or moved one without the other.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      scope: 'folder',
      severity: 'error',
      comment: 'This folder imports, directly or not, a folder that imports it: depend on a narrower module instead.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Tests may import across folders freely; built output mirrors the sources.
    exclude: { path: '(\\.test\\.ts$|/dist/)' },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
  },
};
