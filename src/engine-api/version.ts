/** The Docker Engine API version the engine speaks, and the prefix of its paths (`/v1.41/...`). */
export const API_VERSION = '1.41';
