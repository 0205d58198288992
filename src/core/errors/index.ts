export * from './emotion-stream-error';
export * from './config-error';
export * from './model-load-error';
export * from './poison-message-error';
