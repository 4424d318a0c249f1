/**
 * oclif's `command_not_found` hook. With topics separated by spaces, oclif takes every word
 * before the first flag for the command id, so `container ls x` is looked up as
 * `container:ls:x` and `image history busybox` as `image:history:busybox`. Here a known command
 * followed by words runs with those words as its arguments (and says what it thinks of them),
 * and an unknown one is named as docker names it: `unknown command "image history"`, exit 1.
 */
import type { Hook } from '@oclif/core';
import { TscomposeError } from '../common/errors';

const hook: Hook.CommandNotFound = async function ({ id, argv, config }) {
  const words = id.split(':');
  for (let n = words.length - 1; n > 0; n -= 1) {
    const known = words.slice(0, n).join(':');
    if (config.findCommand(known)) return config.runCommand(known, [...words.slice(n), ...(argv ?? [])]);
  }
  let topic = 0;
  while (topic < words.length - 1 && config.findTopic(words.slice(0, topic + 1).join(':'))) topic += 1;
  const help = ['tscompose', ...words.slice(0, topic), '--help'].join(' ');
  throw new TscomposeError(
    `unknown command "${words.slice(0, topic + 1).join(' ')}" (${help} lists the commands)`,
    { code: 'UNKNOWN_COMMAND' },
  );
};

export default hook;
