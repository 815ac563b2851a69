import { useEffect, useState } from 'preact/hooks';
import type { PipelineTotals, ProjectView, RunEvent, RunView, RunsView } from '../api-types.ts';
import { getJson } from './api.ts';
import { BucketsView } from './buckets-view.tsx';
import { CostPanel } from './cost-panel.tsx';
import { GraphView } from './graph-view.tsx';
import { QuarantineView } from './quarantine-view.tsx';
import { RunsPanel } from './runs-view.tsx';
import { TablesView } from './tables-view.tsx';

const VIEWS = [
  ['overview', 'Overview'],
  ['runs', 'Runs'],
  ['buckets', 'Buckets'],
  ['quarantine', 'Quarantine'],
  ['tables', 'Tables'],
  ['cost', 'Cost'],
] as const;
export type ViewName = (typeof VIEWS)[number][0];

export interface Route {
  view: ViewName;
  params: Record<string, string>;
}

/** `#buckets?bucket=uploads&key=images/a.jpg`: the view and what it shows, so a reload or a link keeps them. */
function readRoute(): Route {
  const [name = '', query = ''] = window.location.hash.slice(1).split('?', 2);
  const view = VIEWS.find(([id]) => id === name)?.[0] ?? 'overview';
  return { view, params: Object.fromEntries(new URLSearchParams(query)) };
}

export function go(view: ViewName, params: Record<string, string> = {}): void {
  const query = new URLSearchParams(params).toString();
  window.location.hash = query ? `${view}?${query}` : view;
}

const REFETCH_MS = 1000;

export interface Live {
  runs: RunView[];
  totals: PipelineTotals[];
  /** Counts the runs seen: views that show stored data fetch it again when it changes. */
  revision: number;
  connected: boolean;
}

/** The runs so far, then each as it finishes, from the dev process's event stream. */
function useLive(): Live {
  const [live, setLive] = useState<Live>({ runs: [], totals: [], revision: 0, connected: false });
  useEffect(() => {
    const source = new EventSource('/api/events');
    // On every (re)connection: what happened meanwhile, then the stream.
    source.onopen = () => {
      getJson<RunsView>('/api/runs').then(
        ({ runs, totals }) => setLive((last) => ({ runs, totals, revision: last.revision + 1, connected: true })),
        () => setLive((last) => ({ ...last, connected: true })),
      );
    };
    source.onerror = () => setLive((last) => ({ ...last, connected: false }));
    // Views refetch what they show when the revision changes: at most once a second, however many runs arrive.
    let refetch: ReturnType<typeof setTimeout> | undefined;
    source.addEventListener('run', (message: MessageEvent<string>) => {
      const { run, totals } = JSON.parse(message.data) as RunEvent;
      setLive((last) => ({ ...last, runs: [run, ...last.runs.filter((r) => r.id !== run.id)].slice(0, 200), totals, connected: true }));
      refetch ??= setTimeout(() => {
        refetch = undefined;
        setLive((last) => ({ ...last, revision: last.revision + 1 }));
      }, REFETCH_MS);
    });
    return () => {
      clearTimeout(refetch);
      source.close();
    };
  }, []);
  return live;
}

export function App() {
  const [route, setRoute] = useState(readRoute);
  const [project, setProject] = useState<ProjectView>();
  const [error, setError] = useState<string>();
  const live = useLive();
  useEffect(() => {
    const onHash = () => setRoute(readRoute());
    window.addEventListener('hashchange', onHash);
    getJson<ProjectView>('/api/project').then(setProject, (e: unknown) => setError(String(e)));
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  return (
    <div class="shell">
      <header>
        <h1>Sluice dev</h1>
        <nav>
          {VIEWS.map(([id, label]) => (
            <a key={id} href={`#${id}`} class={route.view === id ? 'active' : ''}>
              {label}
            </a>
          ))}
        </nav>
        <span class={`live ${live.connected ? 'on' : 'off'}`} title="the event stream from sluice dev">
          {live.connected ? 'live' : 'reconnecting…'}
        </span>
      </header>
      <main>
        {error && <p class="error">{error}</p>}
        {!project ? (
          <p class="muted">Loading…</p>
        ) : route.view === 'overview' ? (
          <>
            <GraphView project={project} live={live} />
            <RunsPanel project={project} live={live} limit={8} />
          </>
        ) : route.view === 'runs' ? (
          <RunsPanel project={project} live={live} />
        ) : route.view === 'buckets' ? (
          <BucketsView project={project} live={live} params={route.params} />
        ) : route.view === 'quarantine' ? (
          <QuarantineView live={live} />
        ) : route.view === 'tables' ? (
          <TablesView project={project} live={live} params={route.params} />
        ) : (
          <CostPanel live={live} />
        )}
      </main>
    </div>
  );
}
