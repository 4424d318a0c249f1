/**
 * Registry failures as engine errors with a status the daemon can answer with, worded as the
 * registry's own error codes read (`unauthorized: authentication required`), on one line.
 */
import { EngineError } from '../../../engine-api/errors';

export class RegistryError extends EngineError {
  constructor(status: number, message: string, opts: { code?: string; cause?: unknown } = {}) {
    super(status, message, { code: opts.code ?? 'REGISTRY', cause: opts.cause });
  }
}

interface DistributionErrors {
  errors?: { code?: string; message?: string }[];
}

/** The spec's `{"errors":[{"code","message"}]}` body as docker words it (`manifest unknown: …`), or the status text. */
export function describeFailure(status: number, statusText: string | undefined, body: string): string {
  try {
    const parsed = JSON.parse(body) as DistributionErrors;
    const parts = (parsed.errors ?? [])
      .map((e) => [e.code?.toLowerCase().replace(/_/g, ' '), e.message].filter(Boolean).join(': '))
      .filter(Boolean);
    if (parts.length) return parts.join('; ');
  } catch {
    // not the spec's JSON: fall back to the status line
  }
  if (status === 401) return 'unauthorized: authentication required';
  if (status === 403) return 'denied: requested access to the resource is denied';
  return `${status} ${statusText ?? ''}`.trim();
}

/** The status the daemon answers with: auth and not-found kept, everything else a server error. */
export function daemonStatus(registryStatus: number): number {
  return [401, 403, 404].includes(registryStatus) ? registryStatus : 500;
}
