#!/usr/bin/env node
// Docker compose users put global flags before the command (`tscompose -f a.yml up`); oclif
// wants them after the command id, so the argv is reordered before oclif sees it. Errors are
// printed by our own handler: one line, no stack, docker compose's exit codes.
// `--version`, the hot container commands and `ps`/`logs` take a fast path that never loads oclif (about
// half of such a command's time); it leaves everything it does not fully understand to oclif.
const { reorderGlobalFlags } = require('../dist/src/cli/flags/global-flags.js');

const argv = reorderGlobalFlags(process.argv.slice(2));
const fail = (err) => require('../dist/src/cli/fail.js').fail(err);
const fast = require('../dist/src/cli/fast/index.js').fastCommand(argv);

if (fast) {
  fast().then((code) => {
    if (code !== 0) process.exit(code);
  }, fail);
} else {
  const { run, flush } = require('@oclif/core');
  run(argv, __dirname)
    .then(() => flush())
    .catch(fail);
}
