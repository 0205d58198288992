import { backoffDelayMs, DEFAULT_RETRY_POLICY } from '../../../src/core';

describe('backoffDelayMs', () => {
  const policy = { baseDelayMs: 200, maxDelayMs: 5000 };

  it('doubles the ceiling per failed attempt and keeps half of it fixed (half jitter)', () => {
    for (const [attempt, ceiling] of [
      [1, 200],
      [2, 400],
      [3, 800],
      [5, 3200],
    ] as const) {
      for (let i = 0; i < 200; i += 1) {
        const delay = backoffDelayMs(policy, attempt);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('caps the delay at maxDelayMs', () => {
    for (let i = 0; i < 200; i += 1) expect(backoffDelayMs(policy, 30)).toBeLessThanOrEqual(5000);
  });

  it('draws different delays (jitter), not a fixed schedule', () => {
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelayMs(policy, 3)));
    expect(delays.size).toBeGreaterThan(1);
  });

  it('defaults to 5 attempts, 200 ms base and a 5 s cap (the README settings table)', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({ maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5000 });
  });
});
