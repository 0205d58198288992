// Three suites: unit needs no services; integration and reliability talk to the real
// Kafka, Redis and schema registry that scripts/services starts (see test/support/global-setup.ts).
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }],
  // OpenTelemetry's OTLP exporter and resource detectors load node:http(s) with a dynamic import(),
  // which jest's VM rejects without --experimental-vm-modules; compiling just those packages to
  // require() lets tests export spans to a real OTLP receiver (Node itself runs them unchanged).
  '^.+/node_modules/@opentelemetry/(otlp-exporter-base|resources)/.+\\.js$': [
    '@swc/jest',
    { jsc: { target: 'es2022' }, module: { type: 'commonjs' } },
  ],
};
const transformIgnorePatterns = ['/node_modules/(?!@opentelemetry/(otlp-exporter-base|resources)/)'];
const base = {
  testEnvironment: 'node',
  transform,
  transformIgnorePatterns,
  moduleFileExtensions: ['ts', 'js', 'json'],
};
const withServices = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  // The machine has 2 cores and the broker shares them: run test files one at a time.
  maxWorkers: 1,
  // With one worker jest runs the files in its own process, where a client library's leftover timer
  // (kafkajs and ioredis reconnect loops after a test stopped a service) would keep CI waiting forever.
  forceExit: true,
  testTimeout: 60_000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...base,
      ...withServices,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
    },
    {
      ...base,
      ...withServices,
      displayName: 'reliability',
      testMatch: ['<rootDir>/test/reliability/**/*.test.ts'],
    },
  ],
};
