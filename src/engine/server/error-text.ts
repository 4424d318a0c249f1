/** What a client is told when a request fails. */
import { TscomposeError } from '../../common/errors';

/**
 * The engine's own errors say what went wrong; anything else is a bug or a system failure whose
 * text (a TypeError, a path in the state root) belongs in the daemon's log only, so the client
 * gets a generic line, with the errno name when the system refused.
 */
export function clientMessage(err: unknown): string {
  if (err instanceof TscomposeError) return err.message;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const errno = typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? ` (${code})` : '';
  return `internal server error${errno}: see the engine's log`;
}
