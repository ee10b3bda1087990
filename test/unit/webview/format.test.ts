import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDay, formatStatus, formatTimestamp, plural, problemCount, relativeTime } from '../../../src/shared/format.ts';

describe('counts', () => {
  it('pluralises: 0 problems, 1 problem, 2 problems', () => {
    assert.equal(plural(0, 'problem'), '0 problems');
    assert.equal(plural(1, 'problem'), '1 problem');
    assert.equal(plural(2, 'problem'), '2 problems');
    assert.equal(plural(2, 'entry', 'entries'), '2 entries');
  });

  it('counts every problem shown, with the severities when they are mixed', () => {
    const e = { severity: 'error' } as const;
    const w = { severity: 'warning' } as const;
    const i = { severity: 'info' } as const;
    assert.equal(problemCount([]), '0 problems');
    assert.equal(problemCount([e]), '1 problem');
    assert.equal(problemCount([w, w]), '2 problems');
    assert.equal(problemCount([e, w]), '2 problems (1 error, 1 warning)');
    assert.equal(problemCount([w, e, e, i, i]), '5 problems (2 errors, 1 warning, 2 infos)');
  });
});

describe('ingestion runs and status', () => {
  const now = new Date('2026-11-22T04:30:00.000Z');
  const en = { locale: 'en-GB', timeZone: 'Europe/Berlin' } as const;

  it('timestamps: local date and time, and how long ago when recent', () => {
    assert.equal(formatTimestamp('2026-11-22T02:30:00.000Z', now, en), '22 Nov 2026, 03:30 (2 h ago)');
    assert.equal(formatTimestamp('2026-11-22T04:29:30Z', now, en), '22 Nov 2026, 05:29 (just now)');
    assert.equal(formatTimestamp('2026-11-22T04:05:00.000Z', now, en), '22 Nov 2026, 05:05 (25 min ago)');
    assert.equal(formatTimestamp('2026-11-21T04:30:00.000Z', now, en), '21 Nov 2026, 05:30 (1 day ago)');
    assert.equal(formatTimestamp('2026-11-18T23:00:00.000Z', now, en), '19 Nov 2026, 00:00 (3 days ago)');
    assert.equal(formatTimestamp('2026-11-01T12:00:00.000Z', now, en), '1 Nov 2026, 13:00', 'older than a week: no relative part');
    assert.equal(formatTimestamp('2026-11-22T06:30:00.000Z', now, en), '22 Nov 2026, 07:30 (in 2 h)');
    assert.equal(formatTimestamp('2026-11-22T02:30:00.000Z', now, { locale: 'en-US', timeZone: 'America/Los_Angeles' }), 'Nov 21, 2026, 18:30 (2 h ago)');
    assert.equal(formatTimestamp('2026-11-22T04:05:07.000Z', now, { ...en, seconds: true }), '22 Nov 2026, 05:05:07 (24 min ago)');
    assert.equal(formatTimestamp('2026-11-22T04:05:07.000Z', now, { ...en, seconds: true, relative: false }), '22 Nov 2026, 05:05:07');
  });

  it('timestamps that are not dates are shown as they came', () => {
    assert.equal(formatTimestamp('', now, en), '');
    assert.equal(formatTimestamp('yesterday', now, en), 'yesterday');
    assert.equal(formatTimestamp('2026-13-45T99:00:00Z', now, en), '2026-13-45T99:00:00Z');
    assert.equal(relativeTime(new Date('2026-11-22T04:30:00.000Z'), now), 'just now');
  });

  it('days: the calendar day Statsig means, in every time zone', () => {
    assert.equal(formatDay('2026-11-21T00:00:00.000Z', { locale: 'en-GB' }), 'Sat, 21 Nov 2026');
    assert.equal(formatDay('2026-11-21', { locale: 'en-US' }), 'Sat, Nov 21, 2026');
    assert.equal(formatDay('2026-11-21T13:00:00.000Z'), '2026-11-21T13:00:00.000Z', 'a time of day is not a day');
    assert.equal(formatDay('soon'), 'soon');
  });

  it('status codes read as words', () => {
    assert.equal(formatStatus('SUCCEEDED'), 'Succeeded');
    assert.equal(formatStatus('IN_PROGRESS'), 'In progress');
    assert.equal(formatStatus('IMPORT_SUCCESSFUL'), 'Import successful');
    assert.equal(formatStatus('LOADED_EMPTY_DATA'), 'Loaded empty data');
    assert.equal(formatStatus('pulse_complete'), 'Pulse complete');
    assert.equal(formatStatus('download-error'), 'Download error');
    assert.equal(formatStatus('scheduled'), 'Scheduled');
    assert.equal(formatStatus('dryRun'), 'DryRun');
    assert.equal(formatStatus('The ingestion query failed'), 'The ingestion query failed');
    assert.equal(formatStatus(''), '');
  });
});
