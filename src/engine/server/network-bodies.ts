/**
 * The network request bodies, checked field by field (Go's words for a field of the wrong kind),
 * so a malformed one is a 400 in one line and never reaches the manager.
 */
import type http from 'node:http';
import { InvalidArgumentError } from '../../common/errors';
import type {
  EndpointSettings,
  NetworkConnectRequest,
  NetworkCreateRequest,
  NetworkDisconnectRequest,
} from '../../engine-api/network/types';
import { readJsonBody } from './route';

const MAX_BODY = 1024 * 1024;

export async function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const parsed = await readJsonBody(req, MAX_BODY);
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw new InvalidArgumentError('the body must be a JSON object');
  return parsed as Record<string, unknown>;
}

type Kind = 'string' | 'boolean' | 'object' | 'array';

function kindOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

/** A field of the expected kind (or absent/null); Go's words otherwise. */
function field<T>(o: Record<string, unknown>, key: string, kind: Kind, where: string): T | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (kindOf(v) !== kind)
    throw new InvalidArgumentError(
      `json: cannot unmarshal ${kindOf(v)} into Go struct field ${where}.${key} of type ${kind}`,
    );
  return v as T;
}

function stringMap(
  o: Record<string, unknown>,
  key: string,
  where: string,
): Record<string, string> | undefined {
  const m = field<Record<string, unknown>>(o, key, 'object', where);
  if (!m) return undefined;
  for (const [k, v] of Object.entries(m))
    if (typeof v !== 'string')
      throw new InvalidArgumentError(
        `json: cannot unmarshal ${kindOf(v)} into ${where}.${key}[${JSON.stringify(k)}] of type string`,
      );
  return m as Record<string, string>;
}

function stringList(o: Record<string, unknown>, key: string, where: string): string[] | undefined {
  const l = field<unknown[]>(o, key, 'array', where);
  if (l && !l.every((x) => typeof x === 'string'))
    throw new InvalidArgumentError(`json: cannot unmarshal into ${where}.${key} of type []string`);
  return l as string[] | undefined;
}

function endpointConfig(raw: unknown, where: string): EndpointSettings | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (kindOf(raw) !== 'object')
    throw new InvalidArgumentError(`json: cannot unmarshal ${kindOf(raw)} into ${where} of type object`);
  const o = raw as Record<string, unknown>;
  const ipam = field<Record<string, unknown>>(o, 'IPAMConfig', 'object', where);
  return {
    Aliases: stringList(o, 'Aliases', where),
    MacAddress: field<string>(o, 'MacAddress', 'string', where),
    IPAMConfig: ipam
      ? {
          IPv4Address: field<string>(ipam, 'IPv4Address', 'string', `${where}.IPAMConfig`),
          IPv6Address: field<string>(ipam, 'IPv6Address', 'string', `${where}.IPAMConfig`),
        }
      : undefined,
  };
}

export function createRequest(o: Record<string, unknown>): NetworkCreateRequest {
  const W = 'NetworkCreateRequest';
  const ipam = field<Record<string, unknown>>(o, 'IPAM', 'object', W);
  const configs = ipam ? field<unknown[]>(ipam, 'Config', 'array', `${W}.IPAM`) : undefined;
  return {
    Name: field<string>(o, 'Name', 'string', W) ?? '',
    Driver: field<string>(o, 'Driver', 'string', W),
    Internal: field<boolean>(o, 'Internal', 'boolean', W),
    Attachable: field<boolean>(o, 'Attachable', 'boolean', W),
    EnableIPv6: field<boolean>(o, 'EnableIPv6', 'boolean', W),
    Options: stringMap(o, 'Options', W),
    Labels: stringMap(o, 'Labels', W),
    IPAM: ipam
      ? {
          Driver: field<string>(ipam, 'Driver', 'string', `${W}.IPAM`),
          Options: stringMap(ipam, 'Options', `${W}.IPAM`),
          Config: (configs ?? []).map((c) => {
            if (kindOf(c) !== 'object')
              throw new InvalidArgumentError(
                `json: cannot unmarshal ${kindOf(c)} into ${W}.IPAM.Config of type object`,
              );
            const x = c as Record<string, unknown>;
            const w = `${W}.IPAM.Config`;
            return {
              Subnet: field<string>(x, 'Subnet', 'string', w),
              IPRange: field<string>(x, 'IPRange', 'string', w),
              Gateway: field<string>(x, 'Gateway', 'string', w),
            };
          }),
        }
      : undefined,
  };
}

export function connectRequest(o: Record<string, unknown>): NetworkConnectRequest {
  const Container = field<string>(o, 'Container', 'string', 'NetworkConnectRequest');
  if (!Container) throw new InvalidArgumentError('container is required');
  return {
    Container,
    EndpointConfig: endpointConfig(o.EndpointConfig, 'NetworkConnectRequest.EndpointConfig'),
  };
}

export function disconnectRequest(o: Record<string, unknown>): NetworkDisconnectRequest {
  const Container = field<string>(o, 'Container', 'string', 'NetworkDisconnectRequest');
  if (!Container) throw new InvalidArgumentError('container is required');
  return { Container, Force: field<boolean>(o, 'Force', 'boolean', 'NetworkDisconnectRequest') };
}
