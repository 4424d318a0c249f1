// The layers of ../shared/design/ARCHITECTURE.md ("may import" column), enforced by the rule
// below: an import, export-from, require() or import() type from one layer into another that
// its row does not list is an error. Imports inside a layer, and of packages, are free.
import path from 'node:path';

/** Layer folder → the layers it may import. */
export const LAYERS = {
  bin: ['src/cli', 'src/commands'],
  'src/commands': ['src/cli'],
  'src/cli': ['src/compose', 'src/compose-model', 'src/engine-api', 'src/common'],
  'src/compose-model': ['src/common'],
  'src/planner': ['src/compose-model', 'src/common'],
  'src/compose': ['src/planner', 'src/compose-model', 'src/engine-api', 'src/common'],
  'src/engine-api': ['src/common'],
  'src/engine': ['src/engine-api', 'src/platform', 'src/common'],
  'src/platform': ['src/common'],
  'src/common': [],
};

/**
 * The named crossings the rules allow, each with why: importer (a folder or file) → target
 * (a file, without extension).
 */
export const EXCEPTIONS = [
  // the `engine` topic runs, installs and stops the daemon: its entry points, nothing else
  ['src/commands/engine', 'src/engine/daemon'],
  ['src/commands/engine', 'src/engine/reaper'],
  ['src/commands/engine', 'src/engine/systemd-unit'],
  // the terminal of `run -it` / `exec -it` needs a pty's window size calls
  ['src/cli', 'src/platform/linux/pty'],
  // starting the daemon once among racing CLIs takes the same file lock the engine uses
  ['src/engine-api/connect', 'src/platform/linux/file-lock'],
  // One lock per project for the verbs that change it, the same flock as the engine's start.
  ['src/cli/compose/project-lock', 'src/platform/linux/file-lock'],
];

const FOLDERS = Object.keys(LAYERS).sort((a, b) => b.length - a.length);

function layerOf(rel) {
  return FOLDERS.find((f) => rel === f || rel.startsWith(`${f}/`) || rel.startsWith(`${f}.`));
}

function within(rel, prefix) {
  return rel === prefix || rel.startsWith(`${prefix}/`) || rel.startsWith(`${prefix}.`);
}

/** The message for an import of `spec` from `file` (both relative to `root`), or undefined when allowed. */
export function crossing(root, file, spec) {
  if (!spec.startsWith('.')) return undefined;
  const from = path.relative(root, file).split(path.sep).join('/');
  const target = path
    .relative(root, path.resolve(path.dirname(file), spec))
    .split(path.sep)
    .join('/')
    .replace(/\.(js|ts|mjs|cjs)$/, '');
  const a = layerOf(from);
  const b = layerOf(target);
  if (!a || !b || a === b || LAYERS[a].includes(b)) return undefined;
  if (EXCEPTIONS.some(([importer, t]) => within(from, importer) && target === t)) return undefined;
  return `${a} may not import ${b} (${target}): see the layers in eslint/layers.mjs and ARCHITECTURE.md`;
}

export const layersPlugin = {
  rules: {
    layers: {
      meta: { type: 'problem', schema: [], messages: { crossing: '{{message}}' } },
      create(context) {
        const root = context.cwd;
        const check = (node, spec) => {
          if (typeof spec !== 'string') return;
          const message = crossing(root, context.filename, spec);
          if (message) context.report({ node, messageId: 'crossing', data: { message } });
        };
        return {
          ImportDeclaration: (n) => check(n, n.source.value),
          ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
          ExportAllDeclaration: (n) => check(n, n.source.value),
          ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
          TSImportType: (n) => {
            const arg = n.argument?.literal ?? n.argument;
            if (arg?.type === 'Literal') check(n, arg.value);
          },
          CallExpression: (n) => {
            const callee = n.callee;
            const isRequire =
              (callee.type === 'Identifier' && callee.name === 'require') ||
              (callee.type === 'MemberExpression' &&
                callee.object.type === 'Identifier' &&
                callee.object.name === 'require' &&
                callee.property.name === 'resolve');
            if (isRequire && n.arguments[0]?.type === 'Literal') check(n, n.arguments[0].value);
          },
        };
      },
    },
  },
};
