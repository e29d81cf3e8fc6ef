// Where the schemathesis CLI is: TEND_SCHEMATHESIS, or the virtualenv `.ci/run` makes
// in ~/.cache/tend/schemathesis. Missing is a failure that says how to get it, never a skip.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const SCHEMATHESIS_VERSION = '4.32.5';

export function schemathesisPath(): string {
  const candidates = [process.env.TEND_SCHEMATHESIS, path.join(os.homedir(), '.cache', 'tend', 'schemathesis', 'bin', 'st')].filter(Boolean) as string[];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(`schemathesis is not installed: run \`bash .ci/run\`, or by hand \`python3 -m venv ~/.cache/tend/schemathesis && ~/.cache/tend/schemathesis/bin/pip install schemathesis==${SCHEMATHESIS_VERSION}\` (or set TEND_SCHEMATHESIS to its \`st\`)`);
  }
  return found;
}
