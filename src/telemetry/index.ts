export * from './trace-headers';
export * from './chunk-trace';
export * from './tracing';
export * from './metrics';
export * from './alerts-metrics';
export * from './logger';
export * as semconv from './semconv';
