/**
 * The one publishing style of every event: a `node:diagnostics_channel` channel per kind, checked for
 * subscribers before an event is built (publishing costs nothing while nobody listens), and listeners that
 * cannot break the request that published (a throwing listener becomes a process warning).
 */
import { channel } from 'node:diagnostics_channel';

/** Publishes events of one kind. */
export interface Publisher<E> {
  /** True when somebody listens: check before building an event. */
  listening(): boolean;
  /** Publishes `event`. */
  publish(event: E): void;
  /** Subscribes `listener`; returns the function that unsubscribes. */
  subscribe(listener: (event: E) => void): () => void;
}

/** The publisher of the channel `name`. */
export function createPublisher<E>(name: string): Publisher<E> {
  const target = channel(name);
  return {
    listening: () => target.hasSubscribers,
    publish: (event) => target.publish(event),
    subscribe(listener) {
      const handler = (message: unknown): void => {
        try {
          listener(message as E);
        } catch (error) {
          process.emitWarning(`a bearer-guard event listener threw: ${String(error)}`, 'BearerGuardWarning');
        }
      };
      target.subscribe(handler);
      return () => {
        target.unsubscribe(handler);
      };
    },
  };
}
