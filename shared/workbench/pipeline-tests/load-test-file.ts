import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { closest } from 'fastest-levenshtein';
import type { ConfigIssue } from '../../contract/errors.ts';
import type { DescribedIssue } from '../../contract/describe-issue.ts';
import { describeIssues } from '../../contract/describe-issue.ts';
import { YamlSource } from '../../engine/pipeline/yaml-source.ts';
import { isHiddenAttribute } from '../local/table-items.ts';
import type { Project } from '../project/load-project.ts';
import { RESOURCES_FILE, undeclaredBucket, undeclaredTable } from '../../engine/pipeline/resources.ts';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import { isBucketTrigger } from '../../engine/pipeline/schema.ts';
import { keyIssues } from './table-keys.ts';
import { unwritableNumbers } from './writable-values.ts';
import { testFileSpec } from './test-file-spec.ts';
import type { TestFile } from './test-file-spec.ts';

export interface LoadedTestFile {
  /** As shown in messages (relative to where the command runs). */
  file: string;
  pipeline: Pipeline;
  cases: TestFile['cases'];
  /** Set while its cases run. */
  env: Record<string, string>;
  /** Absolute path of each case's uploads, by case and then by put index. */
  uploads: string[][];
}

export interface ParsedTestFile {
  testFile?: LoadedTestFile;
  issues: ConfigIssue[];
}

const isFile = (path: string) => stat(path).then((info) => info.isFile(), () => false);

const byPosition = (a: ConfigIssue, b: ConfigIssue) => a.line - b.line || a.column - b.column;

/** Why a case cannot expect `table`'s records rejected by `pipeline`, or undefined when it can. */
function notTheTrigger(pipeline: Pipeline, table: string): string | undefined {
  if (isBucketTrigger(pipeline.on)) return `pipeline ${pipeline.name} is triggered by bucket ${pipeline.on.bucket}, not a table stream: it rejects no stream records`;
  if (pipeline.on.table !== table) return `pipeline ${pipeline.name} is triggered by table ${pipeline.on.table}: it rejects records of that table only, not of ${table}`;
  return undefined;
}

/**
 * Validates one test file against the spec and against the project it tests: the pipeline must
 * exist, the buckets and tables must be declared, the files to upload must be there, and items
 * must carry their table's key (a delete or a rejected record's `keys`: that key only), so that a
 * typo is a `file:line:column` problem before anything runs, not a confusing failure during the run.
 */
export async function parseTestFile(text: string, file: string, path: string, project: Project): Promise<ParsedTestFile> {
  const source = new YamlSource(text, file);
  const syntax = source.syntaxIssues();
  if (syntax.length) return { issues: syntax };
  const data = source.toJS();
  const result = testFileSpec.safeParse(data ?? {});
  if (!result.success) return { issues: source.locate(describeIssues(result.error.issues, data ?? {}, testFileSpec)).sort(byPosition) };

  const issues: ConfigIssue[] = [];
  const at = (where: PropertyKey[], message: string) => issues.push(...source.locate([{ path: where, atKey: false, message }]));
  const names = project.pipelines.map((p) => p.name);
  const pipeline = project.pipelines.find((p) => p.name === result.data.pipeline);
  if (!pipeline) {
    const hint = names.length ? ` (did you mean "${closest(result.data.pipeline, names)}"?)` : '';
    at(['pipeline'], `no pipeline named "${result.data.pipeline}" in this folder${hint}; pipelines: ${names.join(', ') || 'none'}`);
  }
  const checkBucket = (bucket: string, where: PropertyKey[]) => {
    const problem = undeclaredBucket(bucket, project.resources, RESOURCES_FILE);
    if (problem) at(where, problem);
  };
  const place = (where: PropertyKey[], described: DescribedIssue[]) => issues.push(...source.locate(described, where));
  /** At `where`, `table` must be declared and `item` (under `field`) must hold its key; `exact`: the key only. */
  const checkItem = (where: PropertyKey[], table: string, field: string, item: Record<string, unknown>, exact: boolean) => {
    const declaration = project.resources.tables[table];
    if (!declaration) at([...where, 'table'], undeclaredTable(table, project.resources, RESOURCES_FILE)!);
    else place([...where, field], keyIssues(item, table, declaration, { exact }));
  };
  const checkWrite = (where: PropertyKey[], table: string, field: 'put' | 'delete', item: Record<string, unknown>) => {
    checkItem(where, table, field, item, field === 'delete');
    place([...where, field], unwritableNumbers(item));
  };

  const uploads: string[][] = [];
  for (const [c, testCase] of result.data.cases.entries()) {
    const paths: string[] = [];
    for (const [p, put] of testCase.put.entries()) {
      checkBucket(put.bucket, ['cases', c, 'put', p, 'bucket']);
      const upload = resolve(dirname(path), put.file);
      if (!(await isFile(upload))) at(['cases', c, 'put', p, 'file'], `no such file "${put.file}" (looked for ${upload})`);
      paths.push(upload);
    }
    testCase.write.forEach((write, w) => {
      const where = ['cases', c, 'write', w];
      if (write.put) checkWrite(where, write.table, 'put', write.put);
      else checkWrite(where, write.table, 'delete', write.delete ?? {});
    });
    testCase.expect.objects.forEach((object, o) => checkBucket(object.bucket, ['cases', c, 'expect', 'objects', o, 'bucket']));
    testCase.expect.items.forEach((expected, i) => {
      const where = ['cases', c, 'expect', 'items', i];
      checkItem(where, expected.table, 'item', expected.item, false);
      // Listed, it would look checked while never being compared: say so instead.
      for (const name of Object.keys(expected.item).filter(isHiddenAttribute)) {
        place([...where, 'item'], [{ path: [name], atKey: true, message: `"${name}" is Sluice's own bookkeeping (attributes starting with "_sluice"), never compared: leave it out` }]);
      }
    });
    testCase.expect.rejected.forEach((expected, r) => {
      const where = ['cases', c, 'expect', 'rejected', r];
      const problem = project.resources.tables[expected.table] && pipeline ? notTheTrigger(pipeline, expected.table) : undefined;
      if (problem) at([...where, 'table'], problem);
      else checkItem(where, expected.table, 'keys', expected.keys, true);
    });
    uploads.push(paths);
  }
  issues.sort(byPosition);
  if (issues.length || !pipeline) return { issues };
  return { testFile: { file, pipeline, cases: result.data.cases, uploads, env: result.data.env ?? {} }, issues };
}
