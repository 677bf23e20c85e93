// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

// @grafana/ui and its dependencies ship some `.mjs` files that the scaffold does not transform.
const swcTransform = base.transform['^.+\\.(t|j)sx?$'];
const transform = { ...base.transform, '^.+\\.mjs$': swcTransform };

module.exports = {
  projects: [
    {
      ...base,
      displayName: 'plugin',
      transform,
      moduleFileExtensions: ['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'json'],
      testMatch: ['<rootDir>/src/**/*.test.{ts,tsx}'],
    },
    {
      displayName: 'node',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns: base.transformIgnorePatterns,
      moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
      testMatch: ['<rootDir>/sidecar/**/*.test.ts', '<rootDir>/tools/**/*.test.ts', '<rootDir>/tests/**/*.test.ts'],
    },
  ],
};
