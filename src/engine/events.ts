/**
 * The engine's event stream (`docker events`): every lifecycle change of a container (and later
 * of images, networks, volumes) in Docker's shape. A bounded history serves `--since`.
 */
import { EventEmitter } from 'node:events';
import type { EngineEvent } from '../engine-api/events/types';
import { nowNs } from './logs/json-file';

const HISTORY = 1000;

export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly history: EngineEvent[] = [];

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  emit(type: EngineEvent['Type'], action: string, id: string, attributes: Record<string, string> = {}): void {
    const ns = nowNs();
    const event: EngineEvent = {
      Type: type,
      Action: action,
      Actor: { ID: id, Attributes: attributes },
      scope: 'local',
      time: Number(ns / 1_000_000_000n),
      timeNano: Number(ns),
    };
    if (type === 'container') Object.assign(event, { status: action, id, from: attributes.image });
    this.history.push(event);
    if (this.history.length > HISTORY) this.history.shift();
    this.emitter.emit('event', event);
  }

  /** Past events from `sinceNano` on, then live ones, until the signal aborts. */
  subscribe(listener: (e: EngineEvent) => void, sinceNano?: number): () => void {
    if (sinceNano !== undefined) for (const e of this.history) if (e.timeNano >= sinceNano) listener(e);
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
