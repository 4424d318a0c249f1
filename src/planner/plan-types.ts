/**
 * A plan: a DAG of operations, each exactly one Engine API call (ARCHITECTURE.md rule 3). The
 * planner decides everything; the compose service's executor only runs the nodes, each once all
 * of its `after` nodes are done, independent ones in parallel. Nodes name services and compose
 * keys, not create bodies: turning a service into a body is a conversion, not a decision.
 */

export type Operation =
  | { kind: 'create-network'; key: string; name: string }
  | { kind: 'remove-network'; name: string }
  | { kind: 'create-volume'; key: string; name: string }
  | { kind: 'remove-volume'; name: string }
  | { kind: 'pull-image'; service: string; image: string }
  | { kind: 'remove-image'; image: string }
  /**
   * `replaces`: the container this one takes over from (recreate: made beside it, then renamed),
   * whose anonymous volumes it inherits unless `renewAnonVolumes` (`up -V`).
   */
  | {
      kind: 'create-container';
      service: string;
      number: number;
      name: string;
      replaces?: string;
      renewAnonVolumes?: boolean;
    }
  | { kind: 'start-container'; service: string; name: string }
  | { kind: 'stop-container'; service: string; name: string; timeoutSeconds?: number }
  | { kind: 'remove-container'; service: string; name: string; volumes?: boolean }
  | { kind: 'rename-container'; service: string; from: string; to: string }
  /** depends_on conditions: another service's container running, healthy, or exited 0. */
  | {
      kind: 'wait-container';
      service: string;
      name: string;
      condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
      /** `required: false`: a failure is a warning, not the plan's failure. */
      required: boolean;
    }
  /** The state verbs (`restart`, `kill`, `pause`, `unpause`): one container each. */
  | { kind: 'restart-container'; service: string; name: string; timeoutSeconds?: number }
  | { kind: 'kill-container'; service: string; name: string; signal: string }
  | { kind: 'pause-container'; service: string; name: string }
  | { kind: 'unpause-container'; service: string; name: string };

export interface PlanNode {
  /** Stable and readable, e.g. `create-container:web-1`; unique in a plan. */
  id: string;
  op: Operation;
  /** Ids of the nodes that must be done first, sorted. */
  after: string[];
}

export interface Plan {
  /** In a deterministic topological order (ties by id). */
  nodes: PlanNode[];
  /** What the plan found but leaves alone, e.g. orphans without --remove-orphans. */
  warnings: string[];
}

export type RecreatePolicy = 'diverged' | 'force' | 'never';

export interface UpPlanOptions {
  /** Services asked for; empty: all the project's (profiles already applied). */
  services: string[];
  /** `--no-deps`: the asked services alone. */
  noDeps?: boolean;
  /** `--no-start` / `create`: containers made, not started. */
  start: boolean;
  recreate: RecreatePolicy;
  /** `--always-recreate-deps`. */
  recreateDependencies?: RecreatePolicy;
  /** `-V`: anonymous volumes made afresh (the container is recreated). */
  renewAnonVolumes?: boolean;
  removeOrphans?: boolean;
  /** `--scale svc=n` over `scale`/`deploy.replicas`. */
  scale?: Record<string, number>;
  /** `--pull always|missing|never|build` over each service's `pull_policy`. */
  pull?: 'always' | 'missing' | 'never' | 'policy';
  /** `-t`: for the containers a recreate stops. */
  timeoutSeconds?: number;
}

export interface DownPlanOptions {
  removeOrphans?: boolean;
  /** `-v`: named volumes the project declares, and anonymous ones. */
  volumes?: boolean;
  /** `--rmi local|all`. */
  images?: 'local' | 'all';
  timeoutSeconds?: number;
}
