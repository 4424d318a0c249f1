/**
 * docker compose's label names for the CLI, which reads them on what the engine lists (`ps`,
 * log prefixes) but may not import the planner that owns them.
 */
export { LABEL } from '../planner/labels';
