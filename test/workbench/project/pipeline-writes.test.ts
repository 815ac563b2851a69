import { describe, expect, it } from 'vitest';
import type { S3ObjectEvent } from '../../../events/s3/normalize.ts';
import { KEY_PLACEHOLDERS, renderKey } from '../../../shared/engine/pipeline/key-template.ts';
import { showPattern } from '../../../shared/workbench/project/key-pattern.ts';
import { pipelineWrites } from '../../../shared/workbench/project/pipeline-writes.ts';
import { suffixesTriggered } from '../../../shared/workbench/project/project-graph.ts';
import type { BucketTrigger, Pipeline } from '../../../shared/engine/pipeline/schema.ts';
import { matchesTrigger } from '../../../shared/engine/pipeline/trigger.ts';
import { seededRandom } from '../../support/seeded-random.ts';

function pipeline(on: Partial<BucketTrigger>, key: string, quarantine = { bucket: 'uploads', prefix: '' }): Pipeline {
  return {
    name: 'p',
    on: { bucket: 'uploads', events: ['created'], prefix: '', suffix: [], ...on },
    steps: [],
    to: { bucket: 'uploads', key },
    onError: { retries: 2, quarantine },
    file: 'p.yml',
    positions: {} as Pipeline['positions'],
    handlers: new Map(),
  };
}

const shown = (p: Pipeline) => pipelineWrites(p).map((write) => `${write.kind} ${write.resource.name}: ${write.keys.map(showPattern).join(' | ')}`);

describe('what a pipeline writes, as key patterns', () => {
  it('derives {key}, {dir}, {name}, {stem} and {srcExt} from the trigger', () => {
    expect(shown(pipeline({ prefix: 'images/', suffix: ['.jpg'] }, '{dir}/{stem}/{variant}.{ext}'))).toEqual([
      // `*` any text, `?*` text without `/`; the second reading is the name `.jpg` alone, which has no extension.
      'output uploads: images*/?*/*.* | images*/.jpg/*.*',
      'quarantine uploads: p/uploads/images/*.jpg',
      'quarantine uploads: p/uploads/images/*.jpg.error.json',
      'quarantine uploads: p/uploads/images/*.jpg.rejected.ndjson',
      'quarantine uploads: p/uploads/images/*.jpg.summary.json',
    ]);
    expect(shown(pipeline({ prefix: 'in/', suffix: ['.tar.gz'] }, 'out/{name}:{stem}:{srcExt}:{pipeline}:{bucket}')).slice(0, 1)).toEqual([
      'output uploads: out/?*.tar.gz:?*.tar:gz:p:uploads',
    ]);
    // Without a suffix, name, stem and extension are some segment; and the key may be the folder
    // marker `in/` itself, whose dir is empty and name `in`.
    expect(shown(pipeline({ prefix: 'in/' }, '{dir}|{name}|{stem}|{srcExt}')).slice(0, 1)).toEqual(['output uploads: in*|?*|?*|?* | |in|in|']);
    // A prefix without `/`: either the key has no folder, or its folder starts with the prefix.
    expect(shown(pipeline({ prefix: 'img', suffix: ['.png'] }, '{dir}')).slice(0, 1)).toEqual(['output uploads:  | img*']);
  });

  it('counts keys where prefix and suffix overlap', () => {
    // `a.jpg` starts with `a.j` and ends with `.jpg`, though shorter than both together; `a.j/.jpg` has the stem `.jpg`.
    expect(shown(pipeline({ prefix: 'a.j', suffix: ['.jpg'] }, '{stem}')).slice(0, 1)).toEqual(['output uploads: ?* | .jpg | a']);
  });
});


describe('the template analysis never misses a key the runtime writes', () => {
  const next = seededRandom(20260304);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const text = (max: number) => Array.from({ length: Math.floor(next() * (max + 1)) }, () => pick(['a', 'b', '.', '/', 'j', 'p', 'g'])).join('');
  const prefixes = ['', 'a/', 'a', 'a.', '/', 'a//', 'a/b.j', '.', 'images/'];
  const suffixes = [[], ['.jpg'], ['.jpg', '.png'], ['g'], ['.'], ['/'], ['b/.jpg'], ['.j'], ['a/'], ['jpg']];
  const pieces = [...KEY_PLACEHOLDERS.map((name) => `{${name}}`), '/', '.', 'a/', 'x', '//', '.jpg', 'b', 'images/'];
  const event = (bucket: string, key: string): S3ObjectEvent => ({ bucket, key, rawKey: key, eventName: 'ObjectCreated:Put', kind: 'created', eventTime: '', region: 'us-east-1', source: 'notification' });

  it('on random triggers, templates and keys', () => {
    let checked = 0;
    for (let round = 0; round < 800; round++) {
      const trigger = { prefix: pick(prefixes), suffix: pick(suffixes) };
      const template = Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(pieces)).join('');
      const source = pipeline(trigger, template, { bucket: 'uploads', prefix: pick(['', 'q/', 'a/']) });
      const target = { bucket: 'uploads', events: ['created' as const], prefix: pick(prefixes), suffix: pick(suffixes) };
      const [output, copy, report, rejected, summary] = pipelineWrites(source);
      const keys = Array.from({ length: 60 }, () => (next() < 0.5 ? `${trigger.prefix}${text(5)}${pick(trigger.suffix.length ? trigger.suffix : [''])}` : text(8)));
      for (const key of keys.filter((k) => matchesTrigger({ ...source.on }, event('uploads', k)))) {
        for (const ext of [undefined, 'jpg', 'a/b', '.', 'x.jpg']) {
          const variant = pick([undefined, 'thumb', 'a/b', '.jpg']);
          const written = renderKey(template, { pipeline: 'p', sourceBucket: 'uploads', sourceKey: key, ...(ext ? { ext } : {}), ...(variant ? { variant } : {}) });
          const detail = JSON.stringify({ trigger, template, target, key, ext, variant, written });
          if (matchesTrigger(target, event('uploads', written))) expect(suffixesTriggered(output!, target), detail).toBeDefined();
        }
        const quarantined = `${source.onError.quarantine.prefix}p/uploads/${key}`;
        if (matchesTrigger(target, event('uploads', quarantined))) expect(suffixesTriggered(copy!, target), quarantined).toBeDefined();
        if (matchesTrigger(target, event('uploads', `${quarantined}.error.json`))) expect(suffixesTriggered(report!, target), quarantined).toBeDefined();
        if (matchesTrigger(target, event('uploads', `${quarantined}.rejected.ndjson`))) expect(suffixesTriggered(rejected!, target), quarantined).toBeDefined();
        if (matchesTrigger(target, event('uploads', `${quarantined}.summary.json`))) expect(suffixesTriggered(summary!, target), quarantined).toBeDefined();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });
});
