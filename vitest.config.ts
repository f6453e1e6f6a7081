import { defineConfig } from 'vitest/config';
import { filterConsoleLog } from './test/helpers/console-filter.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
    unstubEnvs: true,
    restoreMocks: true,
    onConsoleLog: filterConsoleLog,
  },
});
