/** `container run` and `container create`: the same flags, the same request, then apart. */
import { describe } from '../../command-descriptor';
import { createFlagTable, runFlagTable } from '../run-flag-table';

const create = () => require('../create') as typeof import('../create');

const image = {
  count: 'any',
  name: 'image',
  description: 'The image, then the command and its arguments',
} as const;

export const runCommand = describe({
  id: 'container run',
  summary: 'Create and run a new container from an image',
  description:
    'Everything after IMAGE is the command and its arguments, even what looks like a flag. ' +
    "Exits with the container's exit code; 125 when the engine refuses the container, 126 when " +
    'its command cannot be run, 127 when the command is not found.',
  usage: 'container run [OPTIONS] IMAGE [COMMAND] [ARG...]',
  examples: [
    '<%= config.bin %> container run --rm busybox echo hello',
    '<%= config.bin %> container run -d --name web -m 256m busybox httpd -f',
  ],
  flags: runFlagTable,
  operands: image,
  untilOperand: true,
  async run(flags, operands) {
    const { req, engine } = await create().createRequestAndEngine('container run', flags, operands);
    const { runContainer } = require('../run') as typeof import('../run');
    return runContainer(flags, req, engine);
  },
});

export const createCommand = describe({
  id: 'container create',
  summary: 'Create a new container',
  description: "Prints the new container's id. Everything after IMAGE is the command.",
  usage: 'container create [OPTIONS] IMAGE [COMMAND] [ARG...]',
  examples: ['<%= config.bin %> container create --name box busybox sleep 60'],
  flags: createFlagTable,
  operands: image,
  untilOperand: true,
  async run(flags, operands) {
    const { createRequestAndEngine, createContainer } = create();
    const { req, engine } = await createRequestAndEngine('container create', flags, operands);
    process.stdout.write(`${(await createContainer(engine, req)).Id}\n`);
    return 0;
  },
});
