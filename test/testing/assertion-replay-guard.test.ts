import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ASSERTION_CLOCK_TOLERANCE_SECONDS, AssertionReplayGuard } from '../../src/testing/assertion-replay-guard.js';

const START = 1_700_000_000;

describe('AssertionReplayGuard', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(START * 1000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses a jti again until exp plus the clock tolerance has passed, then forgets it', () => {
    const guard = new AssertionReplayGuard();
    const exp = START + 10;
    expect(guard.use('admin', 'j-1', exp)).toBe(true);
    expect(guard.use('admin', 'j-1', exp)).toBe(false);
    vi.setSystemTime((exp + 1) * 1000);
    expect(guard.use('admin', 'j-1', exp)).toBe(false);
    vi.setSystemTime((exp + ASSERTION_CLOCK_TOLERANCE_SECONDS) * 1000);
    expect(guard.use('admin', 'j-1', exp)).toBe(false);
    vi.setSystemTime((exp + ASSERTION_CLOCK_TOLERANCE_SECONDS) * 1000 + 1);
    expect(guard.use('admin', 'j-1', exp)).toBe(true);
  });

  it('rounds a fractional exp up to the second, as the exp check compares whole seconds', () => {
    const guard = new AssertionReplayGuard(5);
    expect(guard.use('admin', 'j-2', START + 0.5)).toBe(true);
    vi.setSystemTime((START + 5.7) * 1000);
    expect(guard.use('admin', 'j-2', START + 0.5)).toBe(false);
  });

  it('keeps the jti of each client apart', () => {
    const guard = new AssertionReplayGuard();
    expect(guard.use('admin', 'shared', START + 60)).toBe(true);
    expect(guard.use('audit', 'shared', START + 60)).toBe(true);
    expect(guard.use('audit', 'shared', START + 60)).toBe(false);
  });
});
