/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// The portal serves the build from the jar (META-INF/resources); Maven passes --outDir.
// `npm run dev` proxies the API to a portal running on :8080.
export default defineConfig({
  build: {
    target: 'es2022',
    sourcemap: false,
    // keep every script an external file: the portal's CSP allows script-src 'self' only
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // xterm.js (loaded only by the terminal pages) is one ~400 kB chunk
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      // ws: the terminal's WebSocket lives under /api too
      '/api': { target: 'http://127.0.0.1:8080', ws: true },
      '/tunnel': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // One worker runs many files: a fresh worker per file cost 52 s of the suite's 17 (CI's
    // budget). Files share globals, so a test that stubs one restores it (vi.unstubAllGlobals).
    isolate: false,
    // a hang guard, not a speed target: jsdom-heavy tests (2000 table rows) took 8 s on a loaded
    // 2-core machine against vitest's default of 5 s
    testTimeout: 30_000,
  },
});
