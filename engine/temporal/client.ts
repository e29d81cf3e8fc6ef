// Connects to Temporal from Tend's configuration: a local dev server, a self-hosted
// cluster, or Temporal Cloud (TLS client certificates or an API key).
import fs from 'node:fs';
import { Connection, Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { enrollment, workflowIdOf, type EnrollmentInput } from './workflows.js';
import { NativeConnection } from '@temporalio/worker';
import { installRuntime } from './worker.js';
import type { TendConfig } from '../ops/config.js';

function tlsOptions(config: TendConfig) {
  const t = config.temporalTls;
  if (!t?.enabled) return undefined;
  return {
    serverNameOverride: t.serverName,
    serverRootCACertificate: t.caPath ? fs.readFileSync(t.caPath) : undefined,
    clientCertPair: t.certPath && t.keyPath ? { crt: fs.readFileSync(t.certPath), key: fs.readFileSync(t.keyPath) } : undefined,
  };
}

export async function connectClient(config: TendConfig, address: string): Promise<Client> {
  const connection = await Connection.connect({ address, tls: tlsOptions(config), apiKey: config.temporalApiKey });
  return new Client({ connection, namespace: config.temporalNamespace });
}

export async function connectWorker(config: TendConfig, address: string): Promise<NativeConnection> {
  installRuntime(); // before the first native connection, or the SDK installs its own
  return NativeConnection.connect({ address, tls: tlsOptions(config), apiKey: config.temporalApiKey });
}

/** Starts a run's own workflow; one that exists already is left as it is. */
export function runStarter(client: Client, taskQueue: string): (input: EnrollmentInput) => Promise<void> {
  return async (input) => {
    try {
      await client.workflow.start(enrollment, { workflowId: workflowIdOf(input.enrollmentId), taskQueue, args: [input] });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  };
}
