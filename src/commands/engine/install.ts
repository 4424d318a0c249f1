import path from 'node:path';
import { Command, Flags } from '@oclif/core';

export default class EngineInstall extends Command {
  static override summary = 'Install the engine as a systemd service, started at boot';
  static override description =
    'Writes tscompose.service (with TSCOMPOSE_ROOT, TSCOMPOSE_RUNROOT, TSCOMPOSE_HOST and ' +
    'TSCOMPOSE_CONFIG as set here) and enables it with `systemctl enable --now`. At its start ' +
    'the engine brings back the containers whose restart policy is always or unless-stopped.';

  static override examples = [
    '<%= config.bin %> engine install',
    '<%= config.bin %> engine install --dry-run',
  ];

  static override flags = {
    'dry-run': Flags.boolean({ description: 'Print the unit instead of installing it' }),
    'unit-dir': Flags.string({ description: 'Where to write the unit', default: '/etc/systemd/system' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(EngineInstall);
    const unit = require('../../engine/systemd-unit') as typeof import('../../engine/systemd-unit');
    const text = unit.systemdUnit({
      node: process.execPath,
      script: path.join(this.config.root, 'bin', 'run.js'),
      env: process.env,
    });
    if (flags['dry-run']) {
      process.stdout.write(text);
      return;
    }
    const file = unit.writeUnit(flags['unit-dir'], text);
    this.log(`wrote ${file}`);
    if (!unit.systemdRunning()) {
      const { systemdMissing } =
        require('../../cli/daemon/engine-commands') as typeof import('../../cli/daemon/engine-commands');
      throw systemdMissing();
    }
    unit.enableUnit();
    this.log(`${unit.UNIT_NAME} enabled and started`);
  }
}
