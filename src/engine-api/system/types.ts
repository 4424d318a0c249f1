/** The system wire types, as the Docker Engine API's. */

/** GET /version; BuildId is tscompose's own addition (the CLI restarts a stale daemon). */
export interface VersionResponse {
  Version: string;
  ApiVersion: string;
  MinAPIVersion: string;
  Os: string;
  Arch: string;
  KernelVersion: string;
  BuildId: string;
}

/** Error bodies, as Docker's: `{"message": "..."}` with a 4xx/5xx status. */
export interface ErrorResponse {
  message: string;
}
