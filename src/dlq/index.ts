export * from './dead-letter-entry';
export * from './redis-client';
export * from './bullmq-dead-letter-store';
export * from './dead-letter-mirror';
export * from './bullmq-retry-queue';
export * from './record-publisher';
export * from './replay';
export * from './open-dead-letter-store';
