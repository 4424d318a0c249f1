/** The Docker Engine API version the engine speaks, and the prefix of its paths (`/v1.41/...`). */
export const API_VERSION = '1.41';
/** The oldest version a client may ask for (dockerd's minimum). */
export const MIN_API_VERSION = '1.24';
