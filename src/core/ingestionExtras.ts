// Ingestion's own read-only endpoints (schedule, runs, load status) and the schedule update: shown
// next to an ingestion source in the editor. Separate from the sources API (src/core/api.ts): they
// are not sources and follow none of its listing or mutation rules.
import type { CallOptions } from './api.ts';
import type { ConsoleClient } from './client.ts';
import { envelopeOf, listEnvelopeOf } from './schemas/common.ts';
import { IngestionRun, IngestionSchedule, IngestionStatus, type IngestionReadDataset } from './schemas/ingestion.ts';

export async function ingestionSchedule(client: ConsoleClient, dataset: IngestionReadDataset, options: CallOptions = {}): Promise<IngestionSchedule> {
  const res = await client.request({
    method: 'GET', path: '/console/v1/ingestion/schedule', query: { dataset }, schema: envelopeOf(IngestionSchedule),
    requestClass: 'read', signal: options.signal,
  });
  return res.data.data;
}

export async function updateIngestionSchedule(client: ConsoleClient, dataset: IngestionReadDataset, scheduledHourPst: number, options: CallOptions = {}): Promise<IngestionSchedule> {
  if (!Number.isInteger(scheduledHourPst) || scheduledHourPst < 0 || scheduledHourPst > 23) {
    throw new Error('The schedule hour must be a whole hour from 0 to 23 (PST).');
  }
  const res = await client.request({
    method: 'POST', path: '/console/v1/ingestion/schedule', body: { dataset, scheduled_hour_pst: scheduledHourPst },
    schema: envelopeOf(IngestionSchedule), requestClass: 'mutation', signal: options.signal,
  });
  return res.data.data;
}

export async function ingestionRuns(client: ConsoleClient, page = 1, options: CallOptions = {}): Promise<IngestionRun[]> {
  const res = await client.request({
    method: 'GET', path: '/console/v1/ingestion/runs', query: { page }, schema: listEnvelopeOf(IngestionRun),
    requestClass: 'read', signal: options.signal,
  });
  return res.data.data;
}

export async function ingestionStatus(
  client: ConsoleClient,
  query: { startDate: string; endDate: string; source?: string; dataset?: IngestionReadDataset },
  options: CallOptions = {},
): Promise<IngestionStatus[]> {
  const res = await client.request({
    method: 'GET', path: '/console/v1/ingestion/status', query, schema: listEnvelopeOf(IngestionStatus),
    requestClass: 'read', signal: options.signal,
  });
  return res.data.data;
}
