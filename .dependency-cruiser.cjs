// The house rules, as data: which folder may import which. Checked by test/unit/layering/layering.test.ts
// (so in `npm test`); the folder-level graph prints with `npm run graph`.
const { existsSync, readdirSync } = require('node:fs');
const path = require('node:path');

// A tool is a folder of main/ with a public file, tool.ts: a new tool is covered by every rule as it is added.
const main = path.join(__dirname, 'main');
const tools = readdirSync(main, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(path.join(main, entry.name, 'tool.ts')))
  .map((entry) => entry.name);
const tool = `^main/(${tools.join('|')})/`;
// A tool's schemas (main/<tool>/contract.ts, and its zod-free defaults beside it) are public and pure, like contract/.
const toolContract = '^main/[^/]+/contract(-defaults)?[.]ts$';
const nodeOnly = ['^(electron|better-sqlite3|node-pty|ws)$', '^node_modules/(electron|better-sqlite3|node-pty|ws)/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'contract-stands-alone',
      comment:
        'The contract (schemas and types) runs everywhere, the renderer included: it imports nothing of ours outside contract/, and nothing of Node.',
      severity: 'error',
      from: { path: '^main/contract/' },
      to: { pathNot: ['^main/contract/', '^node_modules/zod/'] },
    },
    {
      name: 'tool-contracts-stand-alone',
      comment:
        "A tool's contract.ts holds its schemas and types only: it imports zod, contract/ and other tools' contract files, nothing else.",
      severity: 'error',
      from: { path: toolContract },
      to: { pathNot: ['^main/contract/', toolContract, '^node_modules/zod/'] },
    },
    {
      name: 'tools-never-import-up',
      comment:
        'A tool is loaded by the host, the CLI and Doctor; it never imports them (nor Electron code or the renderer). Its handler types come from contract/handlers.ts.',
      severity: 'error',
      from: { path: tool },
      to: { path: ['^main/(host|app|cli|build)/', '^renderer/', '^(electron)$', '^node_modules/electron/'] },
    },
    {
      name: 'tools-meet-through-public-files',
      comment: "A tool imports another tool only through that tool's public files: main/<tool>/tool.ts, and its contract.ts for types.",
      severity: 'error',
      from: { path: tool },
      to: { path: tool, pathNot: ['^main/$1/', '^main/[^/]+/tool\\.ts$', toolContract] },
    },
    {
      name: 'renderer-imports-contract-display-and-itself',
      comment:
        "The renderer runs in a sandboxed page: of main/ it may import only the contract (contract/ and each tool's contract.ts) and the display helpers, and no Node-only package.",
      severity: 'error',
      from: { path: '^renderer/' },
      to: { pathNot: ['^renderer/', '^main/(contract|display)/', toolContract, '^node_modules/'] },
    },
    {
      name: 'renderer-imports-no-node-package',
      comment: 'No Node built-in or native module in the page.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: nodeOnly },
    },
    {
      name: 'renderer-imports-no-node-builtin',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'display-is-pure',
      comment: 'Display helpers are pure functions the renderer and CLI share: no Node, nothing of ours but the contract.',
      severity: 'error',
      from: { path: '^main/display/' },
      to: { pathNot: ['^main/(display|contract)/', toolContract, '^node_modules/'] },
    },
    {
      name: 'display-imports-no-node-builtin',
      severity: 'error',
      from: { path: '^main/display/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'system-imports-no-tool',
      comment: 'system/ is the shared ground under every tool, the host and the CLI: it imports none of them.',
      severity: 'error',
      from: { path: '^main/system/' },
      to: { path: [tool, '^main/(host|app|cli)/', '^renderer/'], pathNot: toolContract },
    },
    {
      name: 'electron-reaches-services-through-the-host-process',
      comment: 'Electron code (main/app) talks to services over the host process, never by importing them.',
      severity: 'error',
      from: { path: '^main/app/' },
      to: { path: '^main/', pathNot: ['^main/(app|contract|system)/', toolContract, '^main/host/port-channel\\.ts$'] },
    },
    {
      name: 'electron-only-in-app',
      comment: 'Only Electron code imports electron: services, the host and the CLI run under plain Node.',
      severity: 'error',
      from: { path: '^main/', pathNot: '^main/app/' },
      to: { path: ['^(electron)$', '^node_modules/electron/'] },
    },
    {
      name: 'no-cycles',
      comment: 'Modules import in one direction at run time (a cycle through type-only imports is erased by the compiler).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: '^node_modules/' },
    exclude: { path: ['^node_modules/', '^out/', '\\.d\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs'] },
    reporterOptions: {
      archi: { collapsePattern: '^(main/[^/]+|renderer/src/[^/]+)/' },
      text: { highlightFocused: true },
    },
  },
};
