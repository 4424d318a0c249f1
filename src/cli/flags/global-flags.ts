/**
 * docker compose accepts its global flags before the command (`-f a.yml -p x up`), oclif only
 * after the command id. Move the leading global flags behind the command id.
 */
const VALUE_FLAGS = new Set([
  '-f',
  '--file',
  '-p',
  '--project-name',
  '--project-directory',
  '--profile',
  '--env-file',
  '--progress',
  '--ansi',
  '--parallel',
  '-H',
  '--host',
]);
const BOOL_FLAGS = new Set(['--compatibility', '--dry-run', '--all-resources', '--verbose']);
/** Short global flags spelled long once moved, so they cannot clash with a command's own `-f` (`logs -f`). */
const LONG: Record<string, string> = { '-f': '--file', '-p': '--project-name', '-H': '--host' };
/** Command topics whose id is two words (`container run`). */
const TOPICS = new Set(['container', 'image', 'engine', 'network', 'volume', 'system']);

export function reorderGlobalFlags(argv: string[]): string[] {
  const moved: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i];
    const name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
    if (VALUE_FLAGS.has(name)) {
      if (arg.includes('=')) {
        moved.push(arg);
        i += 1;
      } else {
        moved.push(`${LONG[arg] ?? arg}=${argv[i + 1] ?? ''}`);
        i += 2;
      }
    } else if (BOOL_FLAGS.has(arg)) {
      moved.push(arg);
      i += 1;
    } else {
      break;
    }
  }
  if (moved.length === 0 || i >= argv.length) return argv;
  const rest = argv.slice(i);
  const idLength = TOPICS.has(rest[0]) && rest.length > 1 && !rest[1].startsWith('-') ? 2 : 1;
  return [...rest.slice(0, idLength), ...moved, ...rest.slice(idLength)];
}
