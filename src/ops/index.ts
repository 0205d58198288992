export * from './readiness';
export * from './ops-server';
export * from './redis-check';
export * from './consumer-lag';
export * from './redis-probe';
