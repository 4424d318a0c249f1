/** The wire shapes `network create` builds. */
export type { IpamConfig, NetworkCreateRequest } from '../../engine-api/network/types';
