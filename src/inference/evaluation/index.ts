export * from './labelled-dataset';
export * from './metrics';
export * from './format-report';
