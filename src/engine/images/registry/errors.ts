/**
 * Registry failures, worded as the registry's own error codes read (`unauthorized:
 * authentication required`), on one line. `status` is what the registry answered (or 500 for a
 * failure of ours or of the transfer); its kind is what the engine answers its client with.
 */
import { TscomposeError, type ErrorKind } from '../../../common/errors';

const KIND_OF_STATUS: Record<number, ErrorKind> = {
  400: 'invalid-argument',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
};

export class RegistryError extends TscomposeError {
  readonly status: number;

  constructor(status: number, message: string, opts: { code?: string; cause?: unknown } = {}) {
    super(message, {
      code: opts.code ?? 'REGISTRY',
      cause: opts.cause,
      kind: KIND_OF_STATUS[status] ?? 'system',
    });
    this.status = status;
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
