export * from './micro-batcher';
export * from './batcher-options';
export * from './batcher-queue-full-error';
export * from './batcher-closed-error';
