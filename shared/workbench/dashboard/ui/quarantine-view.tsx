import type { QuarantineEntry } from '../api-types.ts';
import { useJson } from './api.ts';
import type { Live } from './app.tsx';
import { go } from './app.tsx';
import { formatTime } from './format.ts';

const KINDS: Record<QuarantineEntry['kind'], string> = {
  object: 'object failed',
  'rejected-records': 'records rejected',
  batch: 'stream batch failed',
  'rejected-record': 'stream record rejected',
};

function Reasons({ entry }: { entry: QuarantineEntry }) {
  if (entry.error) return <div class="error">{`${entry.error.message}${entry.error.code ? ` (${entry.error.code})` : ''}`}</div>;
  if (!entry.records?.length) return null;
  return (
    <ul class="reasons">
      {entry.records.map((record, index) => (
        <li key={index}>
          {record.position !== undefined && <span class="muted">{`${record.position}: `}</span>}
          {record.reasons.map((reason) => (reason.field ? `${reason.field}: ${reason.message}` : reason.message)).join('; ')}
        </li>
      ))}
      {entry.recordCount !== undefined && entry.recordCount > entry.records.length && <li class="muted">{`and ${entry.recordCount - entry.records.length} more`}</li>}
    </ul>
  );
}

/** What the pipelines could not process, newest first, each with why. */
export function QuarantineView({ live }: { live: Live }) {
  const { data: entries, error } = useJson<QuarantineEntry[]>('/api/quarantine', {}, [live.revision]);
  return (
    <section>
      <h2>Quarantine</h2>
      {error && <p class="error">{error}</p>}
      {entries && entries.length === 0 && <p class="muted">Nothing quarantined.</p>}
      <table class="grid quarantine" aria-label="quarantined items">
        <thead>
          <tr>
            <th>time</th>
            <th>pipeline</th>
            <th>what</th>
            <th>source</th>
            <th>why</th>
          </tr>
        </thead>
        <tbody>
          {(entries ?? []).map((entry) => (
            <tr key={`${entry.bucket}/${entry.key}`} data-kind={entry.kind}>
              <td>{formatTime(entry.time)}</td>
              <td>{entry.pipeline}</td>
              <td>{KINDS[entry.kind]}{entry.recordCount !== undefined && entry.kind !== 'rejected-record' ? ` (${entry.recordCount})` : ''}</td>
              <td>
                {entry.source}
                <div class="small">
                  <a href="#" onClick={(event) => (event.preventDefault(), go('buckets', { bucket: entry.bucket, key: entry.copyKey ?? entry.key }))}>
                    {`${entry.bucket}/${entry.copyKey ?? entry.key}`}
                  </a>
                </div>
              </td>
              <td>
                <Reasons entry={entry} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
