/** The registries of the Engine API: pull, push and `POST /auth` (docker login). */

/** One JSON-lines progress message of a pull or push, as Docker's (`jsonmessage`). */
export interface ProgressMessage {
  status?: string;
  /** A layer's short id (12 hex), or the tag in `Pulling from`. */
  id?: string;
  progressDetail?: { current?: number; total?: number };
  /** Push's last message: `{Tag, Digest, Size}`. */
  aux?: Record<string, unknown>;
  error?: string;
  errorDetail?: { message: string };
}

export type ProgressHandler = (message: ProgressMessage) => void;

/** Docker's AuthConfig: what `X-Registry-Auth` (base64url JSON) and `POST /auth` carry. */
export interface RegistryAuthConfig {
  username?: string;
  password?: string;
  /** base64 of `user:password`, as config.json stores it. */
  auth?: string;
  serveraddress?: string;
  /** An OAuth2 refresh token from a token server (docker login's `IdentityToken`). */
  identitytoken?: string;
  /** A bearer token sent as it is. */
  registrytoken?: string;
}

export interface PullImageOptions {
  /** `os/arch[/variant]`. */
  platform?: string;
  /** The `X-Registry-Auth` header value. */
  auth?: string;
  signal?: AbortSignal;
}

export interface PushImageOptions {
  auth?: string;
  signal?: AbortSignal;
}

export interface RegistryApi {
  /** `docker pull`: Docker's progress messages as it goes; resolves once the image is stored. */
  pullImage(ref: string, opts?: PullImageOptions, onProgress?: ProgressHandler): Promise<void>;
  /** `docker push` of one tag (latest when none is given). */
  pushImage(ref: string, opts?: PushImageOptions, onProgress?: ProgressHandler): Promise<void>;
  /** `POST /auth` (docker login): checks the credentials against their registry. */
  checkAuth(auth: RegistryAuthConfig): Promise<{ Status: string; IdentityToken?: string }>;
}
