/** The loader's public shapes, apart so that its stages can name them without import cycles. */
import type { Lookup } from './interpolate';
import type { TypedModel } from './project-types';
import type { LocMap, ParsedFile, Tree } from './source';

export interface LoadOptions {
  /** Where the command runs (the search for compose files starts here). */
  workingDir: string;
  /** `-f` files in order; '-' reads `stdin`. Empty: COMPOSE_FILE, then the default names. */
  configFiles?: string[];
  /** `-p`. */
  projectName?: string;
  /** `--project-directory`. */
  projectDirectory?: string;
  /** `--profile`. Undefined: COMPOSE_PROFILES. */
  profiles?: string[];
  /** `--env-file`. Undefined: COMPOSE_ENV_FILES, then `<project dir>/.env`. */
  envFiles?: string[];
  /** The process environment (never read from process.env inside the model). */
  environment: Record<string, string | undefined>;
  stdin?: string;
  interpolate?: boolean; // default true
  normalize?: boolean; // default true
  resolvePaths?: boolean; // default true
  consistency?: boolean; // default true
  resolveEnvironment?: boolean; // default true: env_file and bare `KEY` entries resolved
  /** Fall back to the directory name for the project name (the CLI does; the library tests do not). */
  nameFromDirectory?: boolean;
  /** Internal: the files whose `include:` led to this load. */
  includeChain?: string[];
  /** JSON-schema validation of each file (default true). */
  validate?: boolean;
  /**
   * The typed stage (default: when interpolating; without interpolation values may still be
   * `${VAR}`, which no unit parser reads). Off, the typed maps of the Project are empty.
   */
  typed?: boolean;
}

/** A loaded project: the normalized tree `config` prints, and the same model typed. */
export interface Project extends TypedModel {
  name: string;
  workingDir: string;
  configFiles: string[];
  envFiles: string[];
  /** The variables interpolation saw: the OS environment over the .env files. */
  environment: Record<string, string>;
  /** Active profiles. */
  profiles: string[];
  /** The normalized model: `name`, `services`, `networks`, `volumes`, `configs`, `secrets`, … */
  model: Tree;
  /** Services left out by profiles (kept for `config --profiles` and for `run` of one of them). */
  disabledServices: Tree;
  locs: LocMap;
}

export interface FileContext {
  lookup: Lookup;
  interpolate: boolean;
  /** Loads another compose file (relative paths are resolved by the caller) through parse → interpolate → schema. */
  loadFile(file: string, lookup?: Lookup): ParsedFile;
  /** Loads a whole included project: `include:` entries are full projects of their own. */
  loadInclude(
    files: string[],
    projectDirectory: string,
    envFiles: string[] | undefined,
    chain: string[],
  ): ParsedFile;
  /** The project directory: relative `extends.file` and `include` paths in project files start there. */
  readonly projectDir?: string;
  /** Files that include the one being loaded, outermost first, for include-loop detection. */
  readonly includeChain: string[];
}
