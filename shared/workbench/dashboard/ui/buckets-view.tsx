import { useState } from 'preact/hooks';
import type { ObjectDetail, ObjectList, ProjectView, VariantsView } from '../api-types.ts';
import { bodyUrl, uploadFile, useJson } from './api.ts';
import type { Live } from './app.tsx';
import { go } from './app.tsx';
import { formatBytes, formatTime } from './format.ts';

function Upload({ project, bucket }: { project: ProjectView; bucket: string }) {
  // The key prefix of the pipeline this bucket starts for such a file (by its suffix): where an upload does something.
  const starts = project.pipelines.filter((p) => p.trigger === 'bucket' && p.source === bucket);
  const prefixFor = (name: string) => (starts.find((p) => p.suffixes?.some((suffix) => name.endsWith(suffix))) ?? starts.find((p) => !p.suffixes?.length) ?? starts[0])?.prefix ?? '';
  // An example that starts a pipeline: its prefix and its first suffix (`orders/name.csv`).
  const example = `${starts[0]?.prefix ?? ''}name${starts[0]?.suffixes?.[0] ?? '.jpg'}`;
  const [file, setFile] = useState<File>();
  const [key, setKey] = useState('');
  const [status, setStatus] = useState<{ text: string; error?: boolean }>();
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!file) return;
    setStatus({ text: 'uploading…' });
    try {
      const done = await uploadFile(bucket, key || `${prefixFor(file.name)}${file.name}`, file);
      setStatus({ text: `uploaded ${done.bucket}/${done.key} (${formatBytes(done.size)}): the pipelines it matches run now` });
      go('buckets', { bucket: done.bucket, key: done.key });
    } catch (error) {
      setStatus({ text: error instanceof Error ? error.message : String(error), error: true });
    }
  };
  return (
    <form class="upload" onSubmit={submit}>
      <label>
        File <input type="file" name="file" onChange={(event) => {
          const chosen = (event.currentTarget as HTMLInputElement).files?.[0];
          setFile(chosen);
          if (chosen) setKey(`${prefixFor(chosen.name)}${chosen.name}`);
        }} />
      </label>
      <label>
        Key <input type="text" name="key" value={key} placeholder={example} onInput={(event) => setKey((event.currentTarget as HTMLInputElement).value)} />
      </label>
      <button type="submit" disabled={!file}>{`Upload to ${bucket}`}</button>
      {status && <span class={status.error ? 'error' : 'muted'} role="status">{status.text}</span>}
    </form>
  );
}

function Metadata({ detail }: { detail: ObjectDetail }) {
  const rows: [string, string][] = [
    ['size', `${formatBytes(detail.size)} (${detail.size} bytes)`],
    ['content type', detail.contentType ?? ''],
    ['last modified', detail.lastModified ?? ''],
    ['ETag', detail.eTag ?? ''],
    ...(detail.image ? ([['image', `${detail.image.width} × ${detail.image.height} ${detail.image.format}`]] as [string, string][]) : []),
    ...Object.entries(detail.metadata).map(([name, value]): [string, string] => [`x-amz-meta-${name}`, value]),
  ];
  return (
    <table class="grid meta" aria-label="object metadata">
      <tbody>
        {rows.map(([name, value]) => (
          <tr key={name}>
            <th>{name}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One image (or object) of the comparison: the picture, its name, dimensions, format and size. */
function Card({ detail, label, selected }: { detail: ObjectDetail; label: string; selected: boolean }) {
  const isImage = detail.contentType?.startsWith('image/');
  return (
    <figure class={`card ${selected ? 'selected' : ''}`} data-key={`${detail.bucket}/${detail.key}`}>
      <a href="#" onClick={(event) => (event.preventDefault(), go('buckets', { bucket: detail.bucket, key: detail.key }))}>
        {isImage ? <img src={bodyUrl(detail.bucket, detail.key)} alt={`${detail.bucket}/${detail.key}`} loading="lazy" /> : <div class="no-preview">{detail.contentType ?? 'object'}</div>}
      </a>
      <figcaption>
        <strong>{label}</strong>
        <span class="key">{`${detail.bucket}/${detail.key}`}</span>
        <span class="dims">{detail.image ? `${detail.image.width} × ${detail.image.height} · ${detail.image.format}` : (detail.contentType ?? '')}</span>
        <span>{formatBytes(detail.size)}</span>
      </figcaption>
    </figure>
  );
}

/** The source beside every output the pipelines made of it. */
function Variants({ view, selected }: { view: VariantsView; selected: string }) {
  const { source } = view;
  return (
    <div class="variants" aria-label="source and variants">
      <Card detail={source} label="source" selected={`${source.bucket}/${source.key}` === selected} />
      {view.derived.flatMap((made) =>
        made.outputs.map((output) =>
          output.detail ? (
            <Card key={`${output.bucket}/${output.key}`} detail={output.detail} label={`${made.pipeline}: ${output.key?.split('/').pop() ?? ''}`} selected={`${output.bucket}/${output.key}` === selected} />
          ) : (
            <figure class="card missing" key={`${output.bucket}/${output.key}/${output.table}`}>
              <figcaption>{output.table ? `${output.items ?? 1} item(s) in table ${output.table}` : `${output.bucket}/${output.key} (gone)`}</figcaption>
            </figure>
          ),
        ),
      )}
    </div>
  );
}

function ObjectPanel({ bucket, objectKey, live }: { bucket: string; objectKey: string; live: Live }) {
  const { data: detail, error } = useJson<ObjectDetail>('/api/object', { bucket, key: objectKey }, [live.revision]);
  // An output is shown among its source's outputs; a source beside its own.
  const source = detail?.madeFrom ? { bucket: detail.madeFrom.bucket, key: detail.madeFrom.key } : { bucket, key: objectKey };
  const { data: variants } = useJson<VariantsView>(detail ? '/api/variants' : undefined, source, [live.revision, detail?.eTag]);
  if (error && !detail) return <p class="error">{error}</p>;
  if (!detail) return <p class="muted">Loading…</p>;
  const hasOutputs = Boolean(variants?.derived.some((made) => made.outputs.length));
  return (
    <div class="object-panel">
      <h3>{`${bucket}/${objectKey}`}</h3>
      {detail.madeFrom && (
        <p>
          {`made by ${detail.madeFrom.pipeline} from `}
          <a href="#" onClick={(event) => (event.preventDefault(), go('buckets', { bucket: detail.madeFrom!.bucket, key: detail.madeFrom!.key }))}>{`${detail.madeFrom.bucket}/${detail.madeFrom.key}`}</a>
        </p>
      )}
      {variants && (hasOutputs || detail.madeFrom) ? (
        <Variants view={variants} selected={`${bucket}/${objectKey}`} />
      ) : (
        <div class="variants">
          <Card detail={detail} label="object" selected />
          {variants && !hasOutputs && <p class="muted">No pipeline has made anything of this object (yet).</p>}
        </div>
      )}
      <Metadata detail={detail} />
      <p>
        <a href={bodyUrl(bucket, objectKey)} target="_blank" rel="noreferrer">
          open the object
        </a>
      </p>
    </div>
  );
}

/** The buckets' objects, an upload form, and the object chosen: metadata, preview, source beside its variants. */
export function BucketsView({ project, live, params }: { project: ProjectView; live: Live; params: Record<string, string> }) {
  const bucket = params.bucket && project.buckets.includes(params.bucket) ? params.bucket : (project.buckets[0] ?? '');
  const [prefix, setPrefix] = useState('');
  const { data: list, error } = useJson<ObjectList>('/api/objects', { bucket, prefix }, [live.revision]);
  return (
    <section class="buckets">
      <h2>Buckets</h2>
      <div class="tabs" role="tablist">
        {project.buckets.map((name) => (
          <button key={name} role="tab" aria-selected={name === bucket} class={name === bucket ? 'active' : ''} onClick={() => go('buckets', { bucket: name })}>
            {name}
          </button>
        ))}
      </div>
      <Upload project={project} bucket={bucket} />
      <div class="split">
        <div class="listing">
          <input type="search" placeholder="key prefix" value={prefix} onInput={(event) => setPrefix((event.currentTarget as HTMLInputElement).value)} aria-label="key prefix" />
          {error && <p class="error">{error}</p>}
          <table class="grid objects" aria-label="objects">
            <thead>
              <tr>
                <th>key</th>
                <th>size</th>
                <th>modified</th>
              </tr>
            </thead>
            <tbody>
              {(list?.objects ?? []).map((object) => (
                <tr key={object.key} class={object.key === params.key ? 'selected' : ''}>
                  <td>
                    <a href="#" onClick={(event) => (event.preventDefault(), go('buckets', { bucket, key: object.key }))}>
                      {object.key}
                    </a>
                  </td>
                  <td class="num">{formatBytes(object.size)}</td>
                  <td>{formatTime(object.lastModified)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {list && list.objects.length === 0 && <p class="muted">No objects{prefix ? ` under ${prefix}` : ''}.</p>}
          {list?.truncated && <p class="muted">The first {list.objects.length} keys; narrow with a prefix.</p>}
        </div>
        <div class="detail">{params.key ? <ObjectPanel bucket={bucket} objectKey={params.key} live={live} /> : <p class="muted">Choose an object to see its metadata and, for an image, its variants.</p>}</div>
      </div>
    </section>
  );
}
