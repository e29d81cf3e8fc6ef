// Builds the editor into editor/dist, which the Tend server serves at its root.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    // elkjs alone is ~1.5 MB; it is one file served locally, so the warning is noise.
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
  },
  server: {
    // The editor imports pure modules from engine/ (ports, durations).
    fs: { allow: [path.join(here, '..')] },
    proxy: { '/api': 'http://localhost:3000', '/schemas': 'http://localhost:3000' },
  },
});
