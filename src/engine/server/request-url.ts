/** A request's URL and path parts, read as Go's url package reads them: a malformed escape is the client's error. */
import { InvalidArgumentError } from '../../common/errors';

/** A `%` not followed by two hex digits. */
const BAD_ESCAPE = /%(?![0-9a-fA-F]{2})(.{0,2})/s;

export function parseRequestUrl(raw: string): URL {
  const bad = BAD_ESCAPE.exec(raw);
  if (bad) throw new InvalidArgumentError(`invalid URL escape ${JSON.stringify(`%${bad[1]}`)}`);
  try {
    return new URL(raw, 'http://engine');
  } catch {
    throw new InvalidArgumentError(`invalid request URL ${JSON.stringify(raw)}`);
  }
}

/** One path part decoded; its escapes are well-formed by now, but may still not be UTF-8. */
export function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new InvalidArgumentError(`invalid URL escape in ${JSON.stringify(part)}`);
  }
}
