/** The event wire type, as the Docker Engine API's. */

/** GET /events: one JSON object a line, as docker's. */
export interface EngineEvent {
  Type: 'container' | 'image' | 'network' | 'volume' | 'daemon';
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local';
  time: number;
  timeNano: number;
  /** Legacy fields docker still sends for containers. */
  status?: string;
  id?: string;
  from?: string;
}
