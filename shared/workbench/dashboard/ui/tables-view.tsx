import type { ProjectView, TableView } from '../api-types.ts';
import { useJson } from './api.ts';
import type { Live } from './app.tsx';
import { go } from './app.tsx';

/** A table's items as the pipelines left them (the aggregates, the cleaned rows), key attributes first. */
export function TablesView({ project, live, params }: { project: ProjectView; live: Live; params: Record<string, string> }) {
  const names = project.tables.map((table) => table.name);
  const name = params.table && names.includes(params.table) ? params.table : names[0];
  const { data: table, error } = useJson<TableView>(name ? '/api/table' : undefined, { name: name ?? '' }, [live.revision]);
  if (!name) return <p class="muted">This project declares no tables.</p>;
  return (
    <section>
      <h2>Tables</h2>
      <div class="tabs" role="tablist">
        {names.map((n) => (
          <button key={n} role="tab" aria-selected={n === name} class={n === name ? 'active' : ''} onClick={() => go('tables', { table: n })}>
            {n}
          </button>
        ))}
      </div>
      {error && <p class="error">{error}</p>}
      {table && (
        <>
          <p class="muted">{`${table.total} item(s)${table.total > table.rows.length ? `, the first ${table.rows.length} shown` : ''}`}</p>
          <div class="scroll">
            <table class="grid items" aria-label={`items of ${table.name}`}>
              <thead>
                <tr>
                  {table.columns.map((column) => (
                    <th key={column}>{column}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.map((row, index) => (
                  <tr key={index}>
                    {row.map((cell, column) => (
                      <td key={column}>{cell}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
