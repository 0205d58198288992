import type { Stage } from './emotion-stream-error';

/** Where an outage was met and what raised it; shared by the transient error classes. */
export interface TransientErrorOptions {
  /** The stage that met the outage; each class has a sensible default. */
  stage?: Stage;
  cause?: unknown;
}
