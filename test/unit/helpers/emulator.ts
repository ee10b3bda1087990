// Starts the project's emulator on 127.0.0.1 and builds a client for it. Every line the client
// logs is collected so tests can prove the key never shows up.
import { ConsoleClient, type ClientOptions, type LogLevel } from '../../../src/core/client.ts';
import { SourcesApi, type ApiOptions } from '../../../src/core/api.ts';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/server.ts';

export const TEST_KEY = 'console-fake-unitTestKey';
export const READ_ONLY_KEY = 'console-fake-readOnlyKey';

export interface Harness {
  emulator: Emulator;
  api: SourcesApi;
  client: ConsoleClient;
  logs: { level: LogLevel; message: string }[];
  makeApi(client?: Partial<ClientOptions>, api?: ApiOptions): SourcesApi;
  close(): Promise<void>;
}

export async function harness(options: Partial<EmulatorOptions> = {}, client: Partial<ClientOptions> = {}, api: ApiOptions = {}): Promise<Harness> {
  const emulator = await startEmulator({ port: 0, key: TEST_KEY, readOnlyKey: READ_ONLY_KEY, seed: 'default', ...options });
  const logs: { level: LogLevel; message: string }[] = [];
  const makeApi = (c: Partial<ClientOptions> = {}, a: ApiOptions = {}) => new SourcesApi(
    new ConsoleClient({
      baseUrl: emulator.url, apiKey: TEST_KEY, timeoutMs: 5_000,
      retry: { baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 1_500 },
      log: (level, message) => logs.push({ level, message }),
      ...client, ...c,
    }),
    { ...api, ...a },
  );
  const sourcesApi = makeApi();
  return {
    emulator, api: sourcesApi, client: sourcesApi.client, logs, makeApi,
    close: () => emulator.close(),
  };
}
