import { useState } from 'preact/hooks';
import type { CostView } from '../api-types.ts';
import { useJson } from './api.ts';
import type { Live } from './app.tsx';
import { formatCount, formatDollars, formatTime } from './format.ts';

/** `sluice cost`'s estimate per pipeline, from the durations measured in this session (or the last run). */
export function CostPanel({ live }: { live: Live }) {
  const [events, setEvents] = useState(1_000_000);
  const { data: cost, error } = useJson<CostView>('/api/cost', { events: String(events) }, [live.revision]);
  return (
    <section>
      <h2>Cost estimate</h2>
      <label class="events">
        Events a month per pipeline{' '}
        <input type="number" min="0" step="1000" value={events} onChange={(event) => setEvents(Math.max(0, Math.round(Number((event.currentTarget as HTMLInputElement).value) || 0)))} />
      </label>
      {error && <p class="error">{error}</p>}
      {cost && !cost.measured && <p class="muted">Nothing measured yet: the estimate uses the durations of invocations. Upload a file, or run `sluice run` first.</p>}
      {cost?.measured && (
        <>
          <p class="muted">
            {cost.measured.session ? 'From the invocations of this session' : `From the last \`sluice ${cost.measured.command}\` (finished ${formatTime(cost.measured.finishedAt)})`}
            {`, at ${cost.region} prices; the free tier is taken off once, from the sum.`}
          </p>
          <table class="grid cost" aria-label="cost per pipeline">
            <thead>
              <tr>
                <th>pipeline</th>
                <th>events/month</th>
                <th>per invocation</th>
                <th>invocations</th>
                <th>billed ms</th>
                <th>memory</th>
                <th>arch</th>
                <th>GB-seconds</th>
                <th>requests</th>
                <th>duration</th>
                <th>total</th>
              </tr>
            </thead>
            <tbody>
              {cost.pipelines.map((row) => (
                <tr key={row.pipeline} data-pipeline={row.pipeline}>
                  <td>{row.pipeline}</td>
                  <td class="num">{formatCount(row.events)}</td>
                  <td class="num">{`${Number.isInteger(row.eventsPerInvocation) ? row.eventsPerInvocation : row.eventsPerInvocation.toFixed(1)} ${row.unit === 'objects' ? 'object' : 'record'}${row.eventsPerInvocation === 1 ? '' : 's'}`}</td>
                  <td class="num">{formatCount(row.invocations)}</td>
                  <td class="num">{formatCount(row.billedMs, 1)}</td>
                  <td class="num">{`${row.memorySize} MB`}</td>
                  <td>{row.architecture}</td>
                  <td class="num">{formatCount(row.gbSeconds, row.gbSeconds >= 100 ? 0 : 2)}</td>
                  <td class="num">{formatDollars(row.requestCost)}</td>
                  <td class="num">{formatDollars(row.durationCost)}</td>
                  <td class="num">{formatDollars(row.requestCost + row.durationCost)}</td>
                </tr>
              ))}
              <tr class="sum">
                <td colSpan={8}>all pipelines</td>
                <td class="num">{formatDollars(cost.total.requestCost)}</td>
                <td class="num">{formatDollars(cost.total.durationCost)}</td>
                <td class="num">{formatDollars(cost.total.requestCost + cost.total.durationCost)}</td>
              </tr>
              <tr>
                <td colSpan={8}>free tier</td>
                <td class="num">{formatDollars(-cost.freeTier.requestCost)}</td>
                <td class="num">{formatDollars(-cost.freeTier.durationCost)}</td>
                <td class="num">{formatDollars(-(cost.freeTier.requestCost + cost.freeTier.durationCost))}</td>
              </tr>
              <tr class="sum">
                <td colSpan={10}>per month</td>
                <td class="num">{formatDollars(cost.cost)}</td>
              </tr>
            </tbody>
          </table>
          {[...cost.notes, ...cost.unpriced].map((note) => (
            <p key={note.pipeline} class="muted note" data-pipeline={note.pipeline}>{`${note.pipeline}: ${note.message}`}</p>
          ))}
          <p class="muted small">Durations were measured on this machine; Lambda gives CPU in proportion to memory, so they only approximate its own. `sluice cost` prints the same estimate with more options.</p>
        </>
      )}
    </section>
  );
}
