import type { PipelineTotals, ProjectView, RunView } from '../api-types.ts';
import type { Live } from './app.tsx';
import { go } from './app.tsx';
import { formatBytes, formatCounts, formatMs, formatTime } from './format.ts';

function Totals({ totals }: { totals: PipelineTotals[] }) {
  return (
    <table class="grid totals">
      <thead>
        <tr>
          <th>pipeline</th>
          <th>in</th>
          <th>processed</th>
          <th>outputs</th>
          <th>written</th>
          <th>quarantined</th>
          <th>rejected</th>
          <th>skipped</th>
          <th>busy</th>
          <th>steps</th>
        </tr>
      </thead>
      <tbody>
        {totals.map((t) => (
          <tr key={t.pipeline} data-pipeline={t.pipeline}>
            <td>{t.pipeline}</td>
            <td class="num">{`${t.itemsIn} ${t.unit}`}</td>
            <td class="num">{t.processed}</td>
            <td class="num">{t.outputs}</td>
            <td class="num">{t.unit === 'objects' && t.outputBytes ? formatBytes(t.outputBytes) : '-'}</td>
            <td class={`num ${t.quarantined + t.failed ? 'bad' : ''}`}>{t.quarantined + t.failed}</td>
            <td class={`num ${t.rejected ? 'warn' : ''}`}>{t.rejected}</td>
            <td class="num">{t.skipped}</td>
            <td class="num">{formatMs(t.busyMs)}</td>
            <td class="steps">
              {t.steps.map((step, index) => (
                <div key={index}>
                  {`${index + 1}. ${step.name} ${formatMs(step.ms)}`}
                  {step.counts && <span class="muted">{` — ${formatCounts(step.counts)}`}</span>}
                </div>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OutputLink({ output }: { output: RunView['outputs'][number] }) {
  if (!output.bucket || !output.key) return null;
  return (
    <a class="chip" href="#" onClick={(event) => (event.preventDefault(), go('buckets', { bucket: output.bucket!, key: output.key! }))}>
      {`${output.bucket}/${output.key}`} <span class="muted">{formatBytes(output.size)}</span>
    </a>
  );
}

/** What an invocation wrote: items to a table counted, objects listed (a removal's as deleted: nothing to open). */
function outcome(run: RunView): string {
  if (run.status === 'deleted') return `source removed: ${run.outputCount} output(s) deleted`;
  const what = `${run.outputCount} ${run.outputs.some((output) => output.table) ? 'item(s) written' : 'output(s)'}`;
  return `${what}${run.rejected ? `, ${run.rejected} rejected` : ''}`;
}

function Run({ run }: { run: RunView }) {
  const [bucket, ...key] = run.source.split('/');
  // Items written to a table are counted, not listed one by one.
  const tables = [...new Set(run.outputs.flatMap((output) => (output.table ? [output.table] : [])))];
  const removal = run.status === 'deleted';
  return (
    <li class={`run ${run.status}`} data-status={run.status} data-source={run.source}>
      <div class="run-head">
        <span class={`badge ${run.status}`}>{removal ? 'removed' : run.status}</span>
        <strong>{run.pipeline}</strong>
        {run.trigger === 'table' || !bucket ? (
          <span class="source">{`${run.source}: ${run.items} record(s)`}</span>
        ) : removal ? (
          // A removed source is gone: nothing to open.
          <span class="source">{run.source}</span>
        ) : (
          <a href="#" class="source" onClick={(event) => (event.preventDefault(), go('buckets', { bucket, key: key.join('/') }))}>
            {run.source}
          </a>
        )}
        <span class="muted">{`${formatTime(run.time)} · ${formatMs(run.durationMs)}`}</span>
      </div>
      <div class="run-steps">
        {/* No step runs for a removal. */}
        {!removal && run.steps.map((step, index) => (
          <span key={index} class="step">
            {`${index + 1}. ${step.name} ${formatMs(step.ms)}`}
            {step.counts && <span class="muted">{` (${formatCounts(step.counts)})`}</span>}
          </span>
        ))}
        <span class="muted outcome">{outcome(run)}</span>
      </div>
      {run.error && <div class="error">{`${run.error.message}${run.error.code ? ` (${run.error.code})` : ''}`}</div>}
      {run.reason && <div class="muted">{`skipped: ${run.reason}`}</div>}
      {run.outputs.length > 0 && (
        <div class="outputs">
          {removal ? (
            <>
              {run.outputs.map((output, index) => (
                <span key={index} class="chip gone" title="deleted with its source">{`${output.bucket}/${output.key}`}</span>
              ))}
              {run.outputCount > run.outputs.length && <span class="muted">{`and ${run.outputCount - run.outputs.length} more`}</span>}
            </>
          ) : tables.length > 0 ? (
            tables.map((table) => <span key={table} class="chip">{`table ${table}`}</span>)
          ) : (
            <>
              {run.outputs.map((output, index) => (
                <OutputLink key={index} output={output} />
              ))}
              {run.outputCount > run.outputs.length && <span class="muted">{`and ${run.outputCount - run.outputs.length} more`}</span>}
            </>
          )}
        </div>
      )}
    </li>
  );
}

/** What each pipeline did since `sluice dev` started, and its invocations as they finish (newest first). */
export function RunsPanel({ project, live, limit }: { project: ProjectView; live: Live; limit?: number }) {
  const runs = limit ? live.runs.slice(0, limit) : live.runs;
  const totals = live.totals.length ? live.totals : project.pipelines.map((p): PipelineTotals => ({ pipeline: p.name, unit: p.trigger === 'bucket' ? 'objects' : 'records', itemsIn: 0, processed: 0, outputs: 0, outputBytes: 0, quarantined: 0, rejected: 0, skipped: 0, failed: 0, busyMs: 0, steps: [] }));
  return (
    <section>
      <h2>Runs</h2>
      <Totals totals={totals} />
      <h3>{limit ? 'Latest invocations' : 'Invocations'}</h3>
      {runs.length === 0 ? (
        <p class="muted">Nothing has run yet: upload a file in Buckets (or with any S3 client), or write to a table.</p>
      ) : (
        <ul class="runs" aria-label="runs">
          {runs.map((run) => (
            <Run key={run.id} run={run} />
          ))}
        </ul>
      )}
      {limit && live.runs.length > limit && (
        <p>
          <a href="#runs">{`All ${live.runs.length} invocations`}</a>
        </p>
      )}
    </section>
  );
}
