import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { closest } from 'fastest-levenshtein';
import type { ConfigIssue } from '../errors.ts';
import { describeIssues } from '../config/describe-issue.ts';
import { YamlSource } from '../config/yaml-source.ts';
import type { Project } from '../pipeline/load.ts';
import { RESOURCES_FILE, undeclaredBucket } from '../pipeline/resources.ts';
import type { Pipeline } from '../pipeline/schema.ts';
import { testFileSpec } from './test-file-spec.ts';
import type { TestFile } from './test-file-spec.ts';

export interface LoadedTestFile {
  /** As shown in messages (relative to where the command runs). */
  file: string;
  pipeline: Pipeline;
  cases: TestFile['cases'];
  /** Absolute path of each case's uploads, by case and then by put index. */
  uploads: string[][];
}

export interface ParsedTestFile {
  testFile?: LoadedTestFile;
  issues: ConfigIssue[];
}

const isFile = (path: string) => stat(path).then((info) => info.isFile(), () => false);

/**
 * Validates one test file against the spec and against the project it tests: the pipeline must
 * exist, the buckets must be declared and the files to upload must be there, so that a typo is a
 * `file:line:column` problem before anything runs, not a confusing failure during the run.
 */
export async function parseTestFile(text: string, file: string, path: string, project: Project): Promise<ParsedTestFile> {
  const source = new YamlSource(text, file);
  const syntax = source.syntaxIssues();
  if (syntax.length) return { issues: syntax };
  const data = source.toJS();
  const result = testFileSpec.safeParse(data ?? {});
  if (!result.success) return { issues: source.locate(describeIssues(result.error.issues, data ?? {}, testFileSpec)) };

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

  const uploads: string[][] = [];
  for (const [c, testCase] of result.data.cases.entries()) {
    const paths: string[] = [];
    for (const [p, put] of testCase.put.entries()) {
      checkBucket(put.bucket, ['cases', c, 'put', p, 'bucket']);
      const upload = resolve(dirname(path), put.file);
      if (!(await isFile(upload))) at(['cases', c, 'put', p, 'file'], `no such file "${put.file}" (looked for ${upload})`);
      paths.push(upload);
    }
    testCase.expect.objects.forEach((object, o) => checkBucket(object.bucket, ['cases', c, 'expect', 'objects', o, 'bucket']));
    uploads.push(paths);
  }
  if (issues.length || !pipeline) return { issues };
  return { testFile: { file, pipeline, cases: result.data.cases, uploads }, issues };
}
