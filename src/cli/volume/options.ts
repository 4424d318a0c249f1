/** `-o key=value` and `--label key[=value]` of `volume create`, as docker's map options read them. */
export function keyValues(args: string[] | undefined): Record<string, string> | undefined {
  if (!args?.length) return undefined;
  const out: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq < 0) out[arg] = '';
    else out[arg.slice(0, eq)] = arg.slice(eq + 1);
  }
  return out;
}
