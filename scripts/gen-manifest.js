'use strict';
// The oclif manifest spares every start from requiring all command modules to list them.
const fs = require('node:fs');
const path = require('node:path');

async function generate(root) {
  const { Config } = require('@oclif/core');
  const manifestPath = path.join(root, 'oclif.manifest.json');
  fs.rmSync(manifestPath, { force: true });
  const config = await Config.load({ root, devPlugins: false, userPlugins: false });
  const plugin = config.plugins.get(config.pjson.name) ?? [...config.plugins.values()][0];
  const manifest = plugin.manifest;
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
}

module.exports = { generate };
