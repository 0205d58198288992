export * from './envelope';
export * from './emotion';
export * from './classifier';
export * from './errors';
