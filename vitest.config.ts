import { defineConfig } from 'vitest/config';

// Test files that share the machine's Redis run one file at a time (as bullmq's own suite does);
// each file still uses its own key prefix so a leftover key never leaks into another file.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    restoreMocks: true,
  },
});
