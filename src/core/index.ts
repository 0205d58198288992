export * from './envelope';
export * from './emotion';
export * from './classifier';
export * from './tweet';
export * from './codec';
export * from './dead-letter';
export * from './errors';
export * from './emotion-alert';
